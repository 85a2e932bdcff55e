import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminGuard } from '../common/auth/auth.guards';
import { AdminActionsService } from './admin-actions.service';
import { CSRF_FIELD, CsrfTokens } from './csrf';
import { dashboardAsset, DashboardAssetName } from './dashboard.assets';
import { renderDashboard } from './dashboard.page';
import { DashboardService, DashboardSummary } from './dashboard.service';

// Scripts only from this service (uPlot from node_modules, no CDN), never framed: a click-jacked "Release" is a CSRF too.
const PAGE_SECURITY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

/**
 * The ops dashboard (/admin, admin login). Bull Board lives beside it at
 * /admin/queues (src/queues). Kept out of Swagger: it is a page, not an API.
 */
@ApiExcludeController()
@Controller('admin')
export class AdminController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly actions: AdminActionsService,
    private readonly csrf: CsrfTokens,
  ) {}

  @Get()
  @UseGuards(AdminGuard)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', PAGE_SECURITY)
  @Header('X-Frame-Options', 'DENY')
  async page(@Query('notice') notice?: string, @Query('level') level?: string): Promise<string> {
    const summary = await this.dashboard.summary();
    return renderDashboard(summary, {
      csrfToken: this.csrf.issue(),
      notice: typeof notice === 'string' && notice ? { text: notice.slice(0, 300), level: level === 'error' ? 'error' : 'ok' } : undefined,
    });
  }

  @Get('summary.json')
  @UseGuards(AdminGuard)
  @Header('Cache-Control', 'no-store')
  summary(): Promise<DashboardSummary> {
    return this.dashboard.summary();
  }

  // Static code (a library and our script): no secret in it, served without the login.
  @Get('assets/:name')
  async asset(@Param('name') name: string, @Res() reply: FastifyReply): Promise<void> {
    const asset = dashboardAsset(name as DashboardAssetName);
    await reply.type(asset.type).header('Cache-Control', 'public, max-age=3600').send(asset.body);
  }

  @Post('actions/capacity-check')
  @HttpCode(303)
  @UseGuards(AdminGuard)
  async capacityCheck(@Req() req: FastifyRequest, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    this.csrf.check(req, body?.[CSRF_FIELD]);
    await this.back(reply, () => this.actions.runCapacityCheck());
  }

  @Post('actions/numbers/:id/retry')
  @HttpCode(303)
  @UseGuards(AdminGuard)
  async retry(@Req() req: FastifyRequest, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    this.csrf.check(req, body?.[CSRF_FIELD]);
    await this.back(reply, () => this.actions.retryPurchase(id));
  }

  @Post('actions/numbers/:id/release')
  @HttpCode(303)
  @UseGuards(AdminGuard)
  async release(@Req() req: FastifyRequest, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    this.csrf.check(req, body?.[CSRF_FIELD]);
    await this.back(reply, () => this.actions.releaseNumber(id));
  }

  /** back to the dashboard with what happened (post/redirect/get: a reload does not repeat the action) */
  private async back(reply: FastifyReply, action: () => Promise<{ text: string; level: 'ok' | 'error' }>): Promise<void> {
    const outcome = await action();
    await reply.redirect(`/admin?${new URLSearchParams({ notice: outcome.text, level: outcome.level }).toString()}`, 303);
  }
}
