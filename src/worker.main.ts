import 'reflect-metadata';
import { runService } from './bootstrap';
import { ProcessRoles } from '@maskline/jobs';

// Queue workers and schedulers only: no HTTP listener.
void runService(new ProcessRoles(false, true));
