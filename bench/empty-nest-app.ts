/**
 * The HTTP-stack limit for `npm run bench -- commands`: a NestJS app on the same platform as the
 * API (Express) with one empty GET and one empty POST route. Prints "Listening on port <n>".
 *   node -r @swc-node/register bench/empty-nest-app.ts
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

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

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(EmptyModule, { logger: false });
  app.disable('x-powered-by');
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  const address = app.getHttpServer().address();
  process.stdout.write(`Listening on port ${typeof address === 'object' && address ? address.port : '?'}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
