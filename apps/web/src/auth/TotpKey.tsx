import QRCode from "qrcode";
import { useEffect, useState } from "react";

/** The enrolment key in groups of four, easier to type into an authenticator app by hand. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

const introductions = {
  staff:
    "Staff sign in with a code from an authenticator app. Scan the QR code with your app, or add Clinic Chat with the key, then enter the code the app shows.",
  patient:
    "With two-step sign-in, you enter a code from an authenticator app on your phone after your password. Scan the QR code with your app, or add Clinic Chat with the key, then enter the code the app shows.",
} as const;

/** The `otpauth:` address as a QR code image (an SVG data URL), drawn in the browser: the key never leaves it. */
function useQrCode(uri: string): string | null {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(
      (svg) => {
        if (current) setImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      },
      () => {
        if (current) setImage(null);
      },
    );
    return () => {
      current = false;
    };
  }, [uri]);
  return image;
}

/**
 * TOTP enrolment (SEC-1, ADMIN-2): the key to add to an authenticator app, as a QR code to scan,
 * as text to type, and as an `otpauth:` link, which phone authenticator apps open directly.
 */
export function TotpKey({
  secret,
  uri,
  audience = "staff",
}: {
  secret: string;
  uri: string;
  audience?: "staff" | "patient";
}) {
  const qr = useQrCode(uri);
  return (
    <section className="enrol" aria-labelledby="enrol-title">
      <h2 id="enrol-title">Set up two-step sign-in</h2>
      <p>{introductions[audience]}</p>
      {qr ? (
        <img
          className="enrol__qr"
          src={qr}
          width={180}
          height={180}
          alt="QR code to scan with your authenticator app"
          data-testid="totp-qr"
        />
      ) : null}
      <p className="enrol__key">
        <span className="hint">Key</span>
        <code data-testid="totp-secret" data-secret={secret}>
          {groupKey(secret)}
        </code>
      </p>
      <p>
        <a href={uri}>Open in an authenticator app on this device</a>
      </p>
    </section>
  );
}
