import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SitterNumbersController } from './sitter-numbers.controller';
import { SitterNumbersService } from './sitter-numbers.service';
import { SittersController } from './sitters.controller';
import { SittersService } from './sitters.service';

/**
 * Sitters (POST /sitters, GET /sitters/:id) and their reserved numbers
 * (POST /attach-number, /detach-number). Attach and detach live here, not in
 * inventory, because detach closes the sitter's sessions through
 * SessionService (one close path, one audit event), and SessionsModule
 * already imports InventoryModule for the pool exhaustion purchase: this
 * module sees both without a cycle (neither imports it).
 */
@Module({
  imports: [InventoryModule, SessionsModule],
  // attach/detach first: their routes come before /sitters in the OpenAPI document, as they always have
  controllers: [SitterNumbersController, SittersController],
  providers: [SittersService, SitterNumbersService],
  exports: [SittersService],
})
export class SittersModule {}
