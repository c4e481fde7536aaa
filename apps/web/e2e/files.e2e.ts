import type { Browser, Locator, Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible } from "./support/axe";
import { newPerson, viewports } from "./support/browser";
import { photoJpeg, screenshotPng, textPdf } from "./support/sampleFiles";
import { Authenticator, signInPatient, signInStaff } from "./support/signIn";
import { productForFile, type TestProduct } from "./support/testProduct";

const shots = "/tmp/preview-shots";

/** A file as the page's scripts build it from bytes the test made. */
interface PageFile {
  readonly name: string;
  readonly type: string;
  readonly base64: string;
}
const pageFile = (name: string, type: string, bytes: Buffer): PageFile => ({
  name,
  type,
  base64: bytes.toString("base64"),
});

/** Drops `files` onto `target` as a desktop's file manager does: dragenter, dragover, drop. */
async function dropFiles(page: Page, target: Locator, files: readonly PageFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return transfer;
  }, files);
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("dragover", { dataTransfer });
  await page.locator(".drop-overlay").waitFor();
  await target.dispatchEvent("drop", { dataTransfer });
}

/** Pastes `file` into the focused text box, as pasting a screenshot from the clipboard does. */
async function pasteFile(page: Page, file: PageFile): Promise<void> {
  await page.evaluate((f) => {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, { type: f.type }));
    const event = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
    document.activeElement?.dispatchEvent(event);
  }, file);
}

/**
 * Holds this page's uploads to storage (storage knows no file names, so every PUT is held) until
 * `release` lets them go, so their progress and cancel can be seen; later uploads pass.
 */
async function holdUploads(page: Page) {
  const held: Route[] = [];
  let holding = true;
  await page.route(
    (url) => !url.pathname.startsWith("/trpc"),
    async (route) => {
      if (holding && route.request().method() === "PUT") held.push(route);
      else await route.continue();
    },
  );
  return {
    count: () => held.length,
    async release(action: "continue" | "abort") {
      holding = false;
      for (const route of held.splice(0))
        await (action === "continue" ? route.continue() : route.abort()).catch(() => {});
    },
  };
}

/** The name of the element that has focus, as a screen reader would announce it. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "";
  });

describe("files in the browser: drop, paste, several at once, previews and viewers (FILE-7, FILE-8)", () => {
  let product: TestProduct;
  let browser: Browser;
  const authenticator = new Authenticator();

  productForFile((started) => {
    ({ product, browser } = started);
  });

  it("FILE-8: drop, paste and multi-file send with progress and cancel; FILE-7: thumbnails on both sides, the image and PDF viewers by keyboard", async () => {
    const staff = await newPerson(browser, product.url);
    const patient = await newPerson(browser, product.url, viewports.phone);
    // What the pages report, printed only if something goes wrong in them.
    for (const page of [staff.page, patient.page])
      page.on("console", (message) => {
        if (message.type() === "error") console.error(`browser console: ${message.text()}`);
      });
    await signInStaff(staff.page, product.person("Alex Morgan"), authenticator);
    await signInPatient(patient.page, product.person("Elena Garcia"));

    await staff.page.getByRole("button", { name: "Start a chat" }).click();
    const start = staff.page.getByRole("dialog", { name: "Start a chat" });
    await start.getByLabel("Search patients by name").fill("Elena");
    await start.getByRole("radio", { name: "Elena Garcia" }).check();
    await start.getByRole("button", { name: "Start Chat" }).click();
    await staff.page.getByRole("heading", { name: "Elena Garcia", level: 2 }).waitFor();
    await staff.page.getByRole("textbox", { name: "Message" }).fill("Please send photos of the rash.");
    await staff.page.keyboard.press("Enter");
    await patient.page.getByRole("link", { name: /Alex Morgan/ }).click();
    await patient.page.getByText("Please send photos of the rash.").waitFor();

    const [beach, arm, screenshot] = await Promise.all([
      photoJpeg(2400, 1600, 10),
      photoJpeg(1200, 1600, 90),
      screenshotPng(900, 600),
    ]);

    // Drop: two photos onto the conversation, held on their way so each shows its own progress.
    const held = await holdUploads(patient.page);
    const conversation = patient.page.locator("section.conversation");
    await dropFiles(patient.page, conversation, [
      pageFile("rash-front.jpg", "image/jpeg", beach),
      pageFile("rash-arm.jpg", "image/jpeg", arm),
    ]);
    const sendDialog = patient.page.getByRole("dialog", { name: "Send 2 files" });
    await sendDialog.waitFor();
    await expectAccessible(patient.page, "send files dialog (phone)");
    await patient.page.screenshot({ path: `${shots}/send-files-dialog-phone.png` });
    await sendDialog.getByLabel("Caption (optional)").fill("Since Monday, itchy at night.");
    await sendDialog.getByRole("button", { name: "Send 2 files" }).click();
    const front = patient.page.getByRole("progressbar", { name: "Uploading rash-front.jpg" });
    const side = patient.page.getByRole("progressbar", { name: "Uploading rash-arm.jpg" });
    await front.waitFor();
    await side.waitFor();
    await expectAccessible(patient.page, "two uploads in progress (phone)");
    await patient.page.screenshot({ path: `${shots}/uploads-progress-phone.png` });
    await expect.poll(() => held.count()).toBe(2);
    expect(await front.getAttribute("value")).toBe("0");

    // Cancel: a third file picked while those go, withdrawn before it is sent.
    const [chooser] = await Promise.all([
      patient.page.waitForEvent("filechooser"),
      patient.page.getByRole("button", { name: "Attach a file" }).click(),
    ]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles({ name: "wrong-photo.jpg", mimeType: "image/jpeg", buffer: beach });
    await patient.page.getByRole("progressbar", { name: "Uploading wrong-photo.jpg" }).waitFor();
    await patient.page.getByRole("button", { name: "Cancel sending wrong-photo.jpg" }).click();
    await expect.poll(() => patient.page.getByText("wrong-photo.jpg").count()).toBe(0);

    await held.release("continue");
    // Both photos arrive, then the caption after them, on both sides.
    for (const page of [patient.page, staff.page]) {
      await page.locator(".message", { hasText: "rash-front.jpg" }).waitFor({ timeout: 30_000 });
      await page.locator(".message", { hasText: "rash-arm.jpg" }).waitFor({ timeout: 30_000 });
      await page.getByText("Since Monday, itchy at night.").waitFor({ timeout: 30_000 });
    }

    expect(await staff.page.getByText("wrong-photo.jpg").count()).toBe(0);

    // Paste: a screenshot pasted into the staff member's text box.
    await staff.page.getByRole("textbox", { name: "Message" }).focus();
    await pasteFile(staff.page, pageFile("screenshot.png", "image/png", screenshot));
    const pasted = staff.page.getByRole("dialog", { name: "Send 1 file" });
    await pasted.locator(".file-name", { hasText: "screenshot.png" }).waitFor();
    await pasted.getByRole("button", { name: "Send 1 file" }).click();

    // Several at once through the picker: a PDF and a photo.
    const [staffChooser] = await Promise.all([
      staff.page.waitForEvent("filechooser"),
      staff.page.getByRole("button", { name: "Attach a file" }).click(),
    ]);
    await staffChooser.setFiles([
      { name: "lab-results.pdf", mimeType: "application/pdf", buffer: textPdf(3) },
      { name: "dermatology-chart.jpg", mimeType: "image/jpeg", buffer: arm },
    ]);

    // FILE-7: thumbnails on both sides, made on the server.
    for (const page of [staff.page, patient.page]) {
      await page.locator(".message", { hasText: "lab-results.pdf" }).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId("thumbnail").count(), { timeout: 30_000 }).toBe(4);
    }
    await expectAccessible(staff.page, "staff conversation with thumbnails");
    await expectAccessible(patient.page, "portal conversation with thumbnails (phone)");
    await staff.page.screenshot({ path: `${shots}/thumbnails-desktop.png` });
    await patient.page.screenshot({ path: `${shots}/thumbnails-phone.png` });

    // The image viewer by keyboard: Enter opens, arrows move, Escape closes and focus returns.
    for (const [who, page] of [
      ["desktop", staff.page],
      ["phone", patient.page],
    ] as const) {
      // press() focuses the thumbnail and presses Enter on it in one step, as a keyboard user does.
      await page.getByRole("button", { name: "Open image rash-front.jpg" }).press("Enter");
      // The two photos dropped together are numbered in the order their uploads finished.
      const viewer = page.getByRole("dialog", { name: /^Image [1-4] of 4$/ });
      await viewer.getByRole("img", { name: "rash-front.jpg" }).waitFor({ timeout: 90_000 });
      await expect
        .poll(() => viewer.getByRole("img").evaluate((img) => (img as HTMLImageElement).naturalWidth), {
          timeout: 20_000,
        })
        .toBeGreaterThan(0);
      await expectAccessible(page, `image viewer (${who})`);
      await page.screenshot({ path: `${shots}/image-viewer-${who}.png` });
      const opened = Number(
        /Image (\d) of 4/.exec((await viewer.getByRole("heading").first().textContent()) ?? "")?.[1],
      );
      expect(opened).toBeGreaterThanOrEqual(1);
      const nth = (by: number) => ((opened - 1 + by + 4) % 4) + 1;
      await page.keyboard.press("ArrowRight");
      await page
        .getByRole("dialog", { name: `Image ${nth(1)} of 4` })
        .getByRole("img")
        .waitFor();
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      await page.getByRole("dialog", { name: `Image ${nth(-1)} of 4` }).waitFor();
      await page.keyboard.press("Escape");
      await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
      expect(await focusedName(page)).toBe("Open image rash-front.jpg");
    }

    // The PDF viewer by keyboard, pdf.js loaded only now.
    for (const [who, page] of [
      ["desktop", staff.page],
      ["phone", patient.page],
    ] as const) {
      const open = page
        .locator(".message", { hasText: "lab-results.pdf" })
        .getByRole("button", { name: /Open/ });
      await open.press("Enter");
      const viewer = page.getByRole("dialog", { name: "PDF" });
      await viewer.getByRole("img", { name: "Page 3 of 3" }).waitFor({ timeout: 20_000 });
      await expect
        .poll(
          () =>
            viewer
              .getByRole("img", { name: "Page 1 of 3" })
              .evaluate((canvas) => (canvas as HTMLCanvasElement).width),
          { timeout: 20_000 },
        )
        .toBeGreaterThan(0);
      await expectAccessible(page, `PDF viewer (${who})`);
      await page.screenshot({ path: `${shots}/pdf-viewer-${who}.png` });
      await page.keyboard.press("Escape");
      await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
      expect(await focusedName(page)).toMatch(/^Open\s*lab-results\.pdf$/);
    }

    await staff.context.close();
    await patient.context.close();
  }, 240_000);
});
