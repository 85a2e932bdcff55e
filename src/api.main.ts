import 'reflect-metadata';
import { runService } from './bootstrap';
import { ProcessRoles } from './queues/process-roles';

// HTTP API only: enqueues jobs, never consumes them.
void runService(new ProcessRoles(true, false));
