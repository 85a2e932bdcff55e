import 'reflect-metadata';
import { runService } from './bootstrap';
import { ProcessRoles } from '@maskline/jobs';

// HTTP API only: enqueues jobs, never consumes them.
void runService(new ProcessRoles(true, false));
