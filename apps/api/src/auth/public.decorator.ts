import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'neuvo:public';

/** Opens a route to callers without a token (only GET /health; the docs are served outside Nest's router). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
