/**
 * The operator command (ADMIN-1): `npm run clinic -- create|plan|invite|list …`. See clinicArgs.ts
 * for the arguments and README.md › "Starting a real clinic".
 */
import { runClinicCommand } from "./clinicCommand";

const code = await runClinicCommand(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exit(code);
