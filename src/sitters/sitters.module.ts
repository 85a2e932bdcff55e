import { Module } from '@nestjs/common';
import { SittersController } from './sitters.controller';
import { SittersService } from './sitters.service';

/** POST /sitters and GET /sitters/:id; numbers are attached by the inventory module's /attach-number. */
@Module({ controllers: [SittersController], providers: [SittersService], exports: [SittersService] })
export class SittersModule {}
