/**
 * The Clinic Chat API: the tRPC router (its type is all the web app imports), the HTTP server and
 * the pieces the composition root in `main.ts` wires together.
 * @packageDocumentation
 */

export { defaultAuthSettings } from "./auth/AuthDeps";
export { AuthError, type AuthErrorCode, authErrorCodes } from "./auth/AuthError";
export {
  type Auth,
  type AuthService,
  type CreateAuthOptions,
  type CredentialProvisioning,
  createAuth,
  secureCookies,
} from "./auth/createAuth";
export { type DemoTotpSecret, demoTotpCode, saveDemoTotpSecrets } from "./auth/devTotp";
export { defaultPasswordHashing, type PasswordHashing, passwordLength } from "./auth/passwords";
export { defaultSignInLimits, type SignInLimits } from "./auth/rateLimit";
export type { Session, SessionResolver } from "./auth/session";
export { noSessions } from "./auth/session";
export { newTotpSecret, totpCode } from "./auth/totp";
export { type Config, ConfigError, loadConfig } from "./config";
export { type ApiDeps, apiDepsFrom } from "./deps";
export type { ApiErrorData, FieldProblem } from "./errors";
export { createHttpServer } from "./http/server";
export type { HttpServer, HttpServerOptions } from "./http/serverOptions";
export { createLogger, redactedKeys } from "./logging";
export { type AppRouter, appRouter } from "./router";
export { type Context, createCallerFactory, createContextInner } from "./trpc";
