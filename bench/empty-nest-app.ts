/**
 * The HTTP-stack limit for `npm run bench -- commands`: a NestJS app on the same platform as the
 * API (Express) with one empty GET and one empty POST route. Prints "Listening on port <n>".
 *   node -r @swc-node/register bench/empty-nest-app.ts
 * EMPTY_NEST_PLATFORM=fastify serves the same controller on @nestjs/platform-fastify instead
 * (benchmark-only, from bench/.deps or $BENCH_DEPS), for `npm run bench -- platforms`.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Controller, Get, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { benchDep } from './lib/common';

@Controller('empty')
class EmptyController {
  @Get()
  get() {
    return {};
  }

  @Post()
  @HttpCode(200)
  post() {
    return {};
  }
}

@Module({ controllers: [EmptyController] })
class EmptyModule {}

/** What the benchmark needs of @nestjs/platform-fastify, which is not a project dependency. */
interface FastifyPlatform {
  FastifyAdapter: new () => object;
}

async function create(platform: string): Promise<INestApplication> {
  if (platform === 'fastify') {
    const { FastifyAdapter } = benchDep<FastifyPlatform>('@nestjs/platform-fastify');
    // Fastify sends no X-Powered-By; it parses application/json bodies itself, as Nest's Express default does.
    return NestFactory.create(EmptyModule, new FastifyAdapter() as never, { logger: false });
  }
  if (platform !== 'express') throw new Error(`EMPTY_NEST_PLATFORM must be express or fastify, not ${platform}`);
  const app = await NestFactory.create<NestExpressApplication>(EmptyModule, { logger: false });
  app.disable('x-powered-by');
  return app;
}

async function main(): Promise<void> {
  const app = await create(process.env.EMPTY_NEST_PLATFORM || 'express');
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const address = (app.getHttpServer() as Server).address();
  process.stdout.write(`Listening on port ${typeof address === 'object' && address ? address.port : '?'}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
