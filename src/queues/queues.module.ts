import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@maskline/config';
import { JobsModule, ProcessRoles, queuesInUse } from '@maskline/jobs';
import { ADMIN_CHALLENGE, basicAuthMatches } from '../common/auth/safe-equal';
import { UnauthorizedError } from '../common/http/app-errors';
import { toErrorResponse } from '../common/http/error-response';

export const BULL_BOARD_ROUTE = '/admin/queues';

/**
 * Every queue in use (JobsModule), and beside it the same list in Bull Board,
 * which only processes with the API role serve.
 */
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig, roles: ProcessRoles): DynamicModule {
    const board = [
      BullBoardModule.forRoot({
        route: BULL_BOARD_ROUTE,
        adapter: adminProtectedBoardAdapter(config.auth.adminUsername, config.auth.adminPassword),
        boardOptions: { uiConfig: { boardTitle: 'Maskline queues' } },
      }),
      ...queuesInUse(config).map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
    ];
    return { module: QueuesModule, imports: [JobsModule.forRoot(config, roles), ...(roles.api ? board : [])] };
  }
}

/**
 * Bull Board's Fastify adapter with admin basic auth. Nest middleware does not
 * run on routes a Fastify plugin registers (nestjs/nest#11802), so the check
 * is an onRequest hook inside the board's own encapsulated plugin.
 * BullBoardModule instantiates the adapter class itself, hence the factory.
 */
function adminProtectedBoardAdapter(username: string, password: string): typeof FastifyAdapter {
  return class AdminProtectedBoardAdapter extends FastifyAdapter {
    registerPlugin(): FastifyPluginCallback {
      const board = super.registerPlugin();
      return (instance, _opts, done) => {
        instance.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
          if (basicAuthMatches(req.headers.authorization, username, password)) return;
          const { status, body, headers } = toErrorResponse(new UnauthorizedError('Admin credentials required', ADMIN_CHALLENGE));
          return reply.headers(headers).status(status).send(body);
        });
        instance.register(board);
        done();
      };
    }
  };
}
