import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../common/http/error-response';
import { UnauthorizedError } from '../common/http/app-errors';
import { ADMIN_CHALLENGE, basicAuthMatches } from '../common/auth/safe-equal';

/**
 * Bull Board's Fastify adapter with admin basic auth. Nest middleware does not
 * run on routes a Fastify plugin registers (nestjs/nest#11802), so the check
 * is an onRequest hook inside the board's own encapsulated plugin.
 * BullBoardModule instantiates the adapter class itself, hence the factory.
 */
export function adminProtectedBoardAdapter(username: string, password: string): typeof FastifyAdapter {
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
