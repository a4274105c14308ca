import { applyDecorators, createParamDecorator, SetMetadata, type CanActivate, type ExecutionContext, Injectable, Inject } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '@csp/domain';
import { everyoneMay, mayAttempt, TokenVerifier, type Action } from '@csp/security';
import { ApiError } from './api-error';
import { PUBLIC_OPERATION } from './openapi';
import { ApiRefusals } from './refusals';

const ACTION = 'csp:action';
const PUBLIC = 'csp:public';

/**
 * The policy-table action a route performs; the guard refuses callers holding none of its roles.
 * Its document says so: no valid token is 401, a role that may never act is 403.
 */
export const Authorize = (action: Action) =>
  applyDecorators(
    SetMetadata(ACTION, action),
    ApiRefusals({
      401: '`unauthenticated`: no bearer token, or one that is malformed, badly signed, expired or lacks claims',
      // An action every caller may perform (the catalog, the KMS deadline) is never forbidden.
      ...(everyoneMay(action) ? {} : { 403: `\`forbidden\`: none of the caller's roles may perform \`${action}\` here` }),
    }),
  );
/** A route that needs no token (health, the download link itself); its document says it has no security requirement. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension(PUBLIC_OPERATION, true));

export interface RequestContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly requestId: string;
}

export type AuthenticatedRequest = Request & { actor?: Actor; correlationId: string; requestId: string };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = await this.verifier.verify(request.headers.authorization);
    request.actor = actor;
    const action = this.reflector.getAllAndOverride<Action | undefined>(ACTION, targets);
    // A route without an action is a programming error: refuse rather than allow by default.
    if (action === undefined || !mayAttempt(action, actor)) {
      throw new ApiError(403, 'forbidden', 'Your role may not perform this action');
    }
    return true;
  }
}

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 6750 §3): bare when the request carried no bearer
 * token, `error="invalid_token"` when it carried one that was refused (malformed, badly signed,
 * expired, lacking claims).
 */
export function bearerChallenge(authorization: string | undefined): string {
  return authorization !== undefined && /^Bearer\s+\S/i.test(authorization) ? 'Bearer error="invalid_token"' : 'Bearer';
}

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new ApiError(401, 'unauthenticated', 'A bearer token is required');
  return { actor: request.actor, correlationId: request.correlationId, requestId: request.requestId };
});
