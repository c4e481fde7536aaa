/**
 * LOCAL DEMO ONLY: prints the current TOTP code of a demo staff member.
 *   npx tsx src/auth/totpCli.ts <email>          (DATA_DIR as for `npm start`, default .data)
 * Refuses when NODE_ENV=production.
 */
import { resolve } from "node:path";
import { demoTotpCode } from "./devTotp";

const email = process.argv[2];
if (process.env.NODE_ENV === "production") {
  process.stderr.write("This helper is for local development only.\n");
  process.exit(2);
}
if (!email) {
  process.stderr.write("Usage: totp <email of a demo staff member>\n");
  process.exit(2);
}
// Relative to where the command was typed, like `npm start` (npm runs workspace scripts from apps/api).
const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR || ".data");
const code = await demoTotpCode(dataDir, email, new Date(), process.env.NODE_ENV);
if (!code) {
  process.stderr.write("No demo TOTP secret for that email. Was the demo seed run in this data folder?\n");
  process.exit(1);
}
process.stdout.write(`${code}\n`);
