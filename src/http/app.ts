/**
 * The Fastify application: TypeBox schemas on every route (OpenAPI 3 generated from them at
 * `/api/v1/openapi.json`, readable docs at `/api/docs`), one error envelope, and the built web
 * app served with a single-page fallback. Route handlers are one line that calls a service.
 *
 * Security (docs/architecture.md#security): every route declares the action it needs
 * (`config: { action }`), checked by the auth hook (src/http/auth.ts) before the body is read;
 * security headers and a strict Content-Security-Policy (helmet); a request size limit; logs
 * without credentials; `/.well-known/security.txt`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import type { Db } from '../db/database.ts';
import { defaultSecurityConfig, loadServiceSettings, type SecurityConfig, type ServiceSettings } from '../config.ts';
import { createAuthContext, type AuthContext } from '../services/auth.service.ts';
import { installAuth, type RouteRecord } from './auth.ts';
import { installHardening } from './hardening.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { userRoutes } from './routes/user.routes.ts';
import { tokenRoutes } from './routes/token.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { wellKnownRoutes } from './routes/well-known.routes.ts';
import { DomainError } from '../domain/errors.ts';
import { envelope, installErrorHandling } from './errors.ts';
import { installValidation } from './validation.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { unitRoutes } from './routes/unit.routes.ts';
import { criteriaSetRoutes } from './routes/criteria-set.routes.ts';
import { criteriaAuthoringRoutes } from './routes/criteria-authoring.routes.ts';
import { reviewRoutes } from './routes/review.routes.ts';
import { summaryRoutes } from './routes/summary.routes.ts';
import { mapRoutes } from './routes/map.routes.ts';
import { attachmentRoutes } from './routes/attachment.routes.ts';
import { committeeRoutes } from './routes/committee.routes.ts';
import { meetingRoutes } from './routes/meeting.routes.ts';
import { taskRoutes } from './routes/task.routes.ts';
import { actionPlanRoutes } from './routes/action-plan.routes.ts';
import { planRoutes } from './routes/plan.routes.ts';
import { inboxRoutes } from './routes/inbox.routes.ts';
import { forecastRoutes } from './routes/forecast.routes.ts';
import { reportRoutes } from './routes/report.routes.ts';
import { importRoutes } from './routes/import.routes.ts';
import { feedRoutes } from './routes/feed.routes.ts';
import { consultationRoutes } from './routes/consultation.routes.ts';
import { transparencyRoutes } from './routes/transparency.routes.ts';
import { dossierRoutes } from './routes/dossier.routes.ts';
import { revocationAlertRoutes } from './routes/revocation-alert.routes.ts';
import { communePageRoutes } from './routes/commune-page.routes.ts';
import { installStrictResponses } from './strict-responses.ts';
import { TargetValueSpecSchema } from './schemas/criteria-set.schema.ts';

export interface AppOptions {
  db: Db;
  logger?: boolean | { level: string };
  /** Folder of the built web app; served at `/` when it exists. */
  webDist?: string;
  /** Accounts, sessions, lockout… (defaults: `defaultSecurityConfig()`). */
  security?: SecurityConfig;
  /** The clock of sessions, lockouts and grants (tests move it). */
  clock?: () => Date;
  /**
   * Reverse proxies (addresses or CIDR) whose X-Forwarded-For / -Proto are believed; the client
   * address (`req.ip`) is the right-most hop not among them. Default: none (the socket address).
   */
  trustedProxies?: readonly string[];
  /** Largest request body in bytes (default 2 MiB). */
  bodyLimit?: number;
  /** Contact in `/.well-known/security.txt`. */
  securityContact?: string;
  /** Attachment folder, satisfaction rate (default: from the environment). */
  services?: ServiceSettings;
  /**
   * Check every response against its route's schema, undeclared properties refused, and answer 500
   * on a mismatch (src/http/strict-responses.ts). On in every test app; off in production, where
   * the schemas only serialise.
   */
  strictResponses?: boolean;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The authentication context and every registered route with its declared action. */
    datchuan: { auth: AuthContext; routes: RouteRecord[] };
  }
}

/** Never written to the logs. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password', '*.newPassword', '*.currentPassword', '*.token'];

/**
 * Content-Security-Policy: only our own origin; no inline scripts; inline styles are allowed
 * because Ant Design injects its CSS at run time; images also from data: URLs (the MFA QR code,
 * the favicon).
 */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The groups of operations in the API documentation. */
const API_TAGS = [
  { name: 'system', description: 'Tình trạng hệ thống / health' },
  { name: 'auth', description: 'Đăng nhập, phiên, xác thực hai lớp, bảng phân quyền / sign-in, sessions, two-factor, the policy' },
  { name: 'admin', description: 'Tài khoản, vai trò, khóa API / accounts, roles, API tokens' },
  { name: 'audit', description: 'Nhật ký thay đổi / the audit trail' },
  { name: 'units', description: 'Đơn vị hành chính và sáp nhập 2025 / administrative units and the 2025 mergers' },
  { name: 'criteria', description: 'Bộ tiêu chí / criteria sets' },
  { name: 'reviews', description: 'Bản rà soát, giá trị, minh chứng / reviews, values, evidence' },
  { name: 'summaries', description: 'Tổng hợp, trang xã, bản đồ / summaries, the commune page, the map' },
  { name: 'committees', description: 'Ban Chỉ đạo / steering committees' },
  { name: 'meetings', description: 'Cuộc họp, kết luận / meetings, conclusions' },
  { name: 'tasks', description: 'Nhiệm vụ / tasks' },
  { name: 'action plans', description: 'Kế hoạch hành động, đề xuất kinh phí / action plans, budget requests' },
  { name: 'inbox', description: 'Nhắc việc / reminders' },
  { name: 'reports', description: 'Báo cáo / reports' },
  { name: 'imports', description: 'Nhập số liệu từ Excel / Excel import' },
  { name: 'feed', description: 'Dữ liệu chia sẻ / the data feed' },
  { name: 'dossiers', description: 'Hồ sơ công nhận, thu hồi, ý kiến nhân dân / recognition and revocation dossiers, residents’ comments' },
  { name: 'public', description: 'Cổng công khai (không cần đăng nhập) / the public portal (no sign-in)' },
];

export async function buildApp(opts: AppOptions): Promise<App> {
  const logger = opts.logger === undefined || opts.logger === false ? false : { ...(opts.logger === true ? {} : opts.logger), redact: { paths: REDACT, censor: '[redacted]' } };
  const app = Fastify({
    logger,
    bodyLimit: opts.bodyLimit ?? 2 * 1024 * 1024,
    // Only the named proxies: a client's own X-Forwarded-For never chooses its address.
    trustProxy: opts.trustedProxies?.length ? [...opts.trustedProxies] : false,
    genReqId: () => Math.random().toString(36).slice(2, 10),
    // Errors the router raises before any route runs (bad URL encoding, over-long path
    // parameters) leave in the same envelope as everything else.
    frameworkErrors: (err, _req, res) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (res as FastifyReply)
        .status(tooLong ? 414 : 400)
        .send(
          envelope(
            new DomainError(
              'validation_failed',
              tooLong ? { vi: 'Đường dẫn quá dài.', en: 'The request path is too long.' } : { vi: 'Đường dẫn không hợp lệ.', en: 'The request path is malformed.' },
            ),
          ),
        );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installValidation(app);
  if (opts.strictResponses) installStrictResponses(app);
  // Schemas shared by reference (recursive ones): components of the OpenAPI document.
  app.addSchema(TargetValueSpecSchema);

  const auth = createAuthContext(opts.db, opts.security ?? defaultSecurityConfig(), opts.clock);
  const routes: RouteRecord[] = [];
  app.decorate('datchuan', { auth, routes });
  // Routes registered by third-party plugins (API docs, static files) are public: marked here.
  let markPublic = false;
  app.addHook('onRoute', (r) => {
    if (markPublic && !r.config?.action) r.config = { ...(r.config ?? {}), action: 'public' };
  });
  // Helmet before the auth hook: its headers are set first, so 401 and 403 answers carry them too.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  await installAuth(app, auth, routes);
  installHardening(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Đạt Chuẩn API',
        description: 'API theo dõi, đánh giá xây dựng nông thôn mới / New Rural Development monitoring API',
        version: '1',
        // package.json says UNLICENSED: proprietary, no licence granted. The url is npm's definition of that word.
        license: {
          name: 'UNLICENSED — Proprietary, không cấp phép sử dụng / all rights reserved, no licence granted',
          url: 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license',
        },
      },
      servers: [{ url: '/', description: 'Máy chủ phục vụ tài liệu này / the server serving this document' }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'datchuan_session', description: 'Phiên đăng nhập (POST /api/v1/auth/login); ghi cần tiêu đề X-CSRF-Token / browser session; writes need the X-CSRF-Token header' },
          token: { type: 'http', scheme: 'bearer', description: 'Khóa API (dct_…) / API token' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    // Shared schemas keep their $id as their name in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  markPublic = true;
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  markPublic = false;
  await app.register(wellKnownRoutes({ contact: opts.securityContact ?? 'mailto:security@datchuan.invalid' }));

  const ctx = { db: opts.db, auth, services: opts.services ?? loadServiceSettings() };
  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { action: 'public' }, schema: { hide: true } }, async () => app.swagger());
      await api.register(healthRoutes(ctx));
      await api.register(authRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(tokenRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(unitRoutes(ctx));
      await api.register(criteriaSetRoutes(ctx));
      await api.register(criteriaAuthoringRoutes(ctx));
      await api.register(reviewRoutes(ctx));
      await api.register(summaryRoutes(ctx));
      await api.register(communePageRoutes(ctx));
      await api.register(mapRoutes(ctx));
      await api.register(attachmentRoutes(ctx));
      await api.register(committeeRoutes(ctx));
      await api.register(meetingRoutes(ctx));
      await api.register(taskRoutes(ctx));
      await api.register(actionPlanRoutes(ctx));
      await api.register(planRoutes(ctx));
      await api.register(inboxRoutes(ctx));
      await api.register(forecastRoutes(ctx));
      await api.register(reportRoutes(ctx));
      await api.register(importRoutes(ctx));
      await api.register(feedRoutes(ctx));
      await api.register(transparencyRoutes(ctx));
      await api.register(consultationRoutes(ctx));
      await api.register(dossierRoutes(ctx));
      await api.register(revocationAlertRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );

  const webDist = opts.webDist ?? path.resolve('web/dist');
  if (existsSync(path.join(webDist, 'index.html'))) {
    // Hashed build output never changes under its name: cached for a year. Everything else
    // (index.html, geo files) is revalidated. The build writes .br/.gz beside each file.
    markPublic = true;
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: ['index.html'],
      preCompressed: true,
      setHeaders: (reply, file) => {
        const immutable = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)(\.gz|\.br)?$/.test(file);
        reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    markPublic = false;
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !existsSync(path.join(webDist, 'index.html'))) {
      return reply
        .status(404)
        .send(envelope(new DomainError('not_found', { vi: `Không có đường dẫn ${req.method} ${req.url.split('?')[0]}.`, en: `No route ${req.method} ${req.url.split('?')[0]}.` })));
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
