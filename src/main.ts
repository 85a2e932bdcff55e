import 'reflect-metadata';
import { runService } from './bootstrap';
import { ProcessRoles } from '@maskline/jobs';

// `npm start`: HTTP API and queue workers in one process.
void runService(new ProcessRoles(true, true));
