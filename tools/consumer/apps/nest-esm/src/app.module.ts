import { AuthModule } from '@authbridge/nest-auth';
import { Module } from '@nestjs/common';
import { AppController } from './app.controller.js';

@Module({
  imports: [
    AuthModule.forRootAsync({
      useFactory: () => ({ issuer: process.env.BETTER_AUTH_URL ?? 'http://localhost:3000' }),
    }),
  ],
  controllers: [AppController],
})
export class AppModule {}
