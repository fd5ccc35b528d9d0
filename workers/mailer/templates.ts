import type { PlatformMessage } from "./send.ts";

/** Plain-text platform messages. Links are absolute, built from APP_URL. */
export const mailTemplates = {
  verifyEmail: (to: string, name: string, link: string): PlatformMessage => ({
    kind: "verify_email",
    to,
    subject: "Confirm your e-mail for PenguinMails",
    text: `Hi ${name},\n\nConfirm your e-mail address to finish setting up PenguinMails:\n\n${link}\n\nThe link works for 24 hours. If you did not sign up, ignore this message.\n`,
  }),
  resetPassword: (to: string, link: string): PlatformMessage => ({
    kind: "reset_password",
    to,
    subject: "Reset your PenguinMails password",
    text: `Someone asked to reset the password for this address.\n\nChoose a new password here (valid for 1 hour):\n\n${link}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
  }),
  changeEmail: (to: string, link: string): PlatformMessage => ({
    kind: "change_email",
    to,
    subject: "Confirm your new e-mail for PenguinMails",
    text: `Confirm that this is your new sign-in address for PenguinMails:\n\n${link}\n\nThe link works for 24 hours.\n`,
  }),
  invitation: (to: string, inviter: string, tenant: string, link: string, note?: string | null): PlatformMessage => ({
    kind: "invitation",
    to,
    subject: `${inviter} invited you to ${tenant} on PenguinMails`,
    text: `${inviter} invited you to join ${tenant} on PenguinMails.${note ? `\n\n"${note}"` : ""}\n\nAccept the invitation (valid for 7 days):\n\n${link}\n`,
  }),
  accountDeleted: (to: string): PlatformMessage => ({
    kind: "account_deleted",
    to,
    subject: "Your PenguinMails account is scheduled for deletion",
    text: "Your account was deleted and can be restored for 30 days by contacting support. After that it is removed for good.\n",
  }),
};
