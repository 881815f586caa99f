/**
 * The few parts of Express's request and response the API touches (the project does not depend on
 * @types/express).
 */
export interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: string): void;
  json(body: unknown): void;
  readonly headersSent: boolean;
}
