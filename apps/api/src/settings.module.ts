import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { ApiSettings } from './settings';

/** Injection token of the checked settings (`@Inject(API_SETTINGS) settings: ApiSettings`). */
export const API_SETTINGS = Symbol('API_SETTINGS');

@Global()
@Module({})
export class SettingsModule {
  static register(settings: ApiSettings): DynamicModule {
    return {
      module: SettingsModule,
      providers: [{ provide: API_SETTINGS, useValue: settings }],
      exports: [API_SETTINGS],
    };
  }
}
