import { Module } from '@nestjs/common';
import { ClientSyncService } from './client-sync.service';
import { ClientsController } from './clients.controller';

/** POST /clients/sync (Time to Pet, Zap 1) and GET /clients/:id. */
@Module({ controllers: [ClientsController], providers: [ClientSyncService] })
export class ClientsModule {}
