import 'reflect-metadata';
import { runService } from './bootstrap';
import { ProcessRoles } from './queues/process-roles';

// Queue workers and schedulers only: no HTTP listener.
void runService(new ProcessRoles(false, true));
