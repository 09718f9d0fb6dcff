/** 简体中文邮件文本 (ADR 019). Same keys as ./en.ts (test/unit/mail-templates.test.ts checks). */
import type { MailCatalogue } from "../types";

export const zhCN: MailCatalogue = {
  payment_failed: (p, f) => ({
    subject: `您的 ${p.planName} 套餐付款失败`,
    paragraphs: [
      `我们未能收取您的 AOVIS ${p.planName} 套餐费用。`,
      p.retryAt ? `我们将于 ${f.date(p.retryAt)} 再次尝试扣款。请在此之前更新您的银行卡，以保留您的套餐。` : "请更新您的银行卡，以保留您的套餐。",
    ],
    action: { label: "更新银行卡", url: p.manageUrl },
  }),
  transfer_offered: (p, f) => ({
    subject: `${p.fromEmail} 想将摄像头“${p.cameraName}”转让给您`,
    paragraphs: [`${p.fromEmail} 想将 AOVIS 摄像头“${p.cameraName}”转让给您。`, `此转让在 ${f.date(p.expiresAt)} 前有效。请使用此邮箱地址登录以接受。`],
    action: { label: "接受摄像头", url: p.acceptUrl },
  }),
  transfer_accepted: (p) => ({
    subject: `您的摄像头“${p.cameraName}”已转让`,
    paragraphs: [`${p.toEmail} 已接受您的转让：摄像头“${p.cameraName}”现归对方所有，已不在您的账户中。`],
    action: { label: "我的摄像头", url: p.devicesUrl },
  }),
  trial_ending: (p, f) => ({
    subject: `“${p.cameraName}”的免费试用将于 ${f.date(p.endsAt)} 结束`,
    paragraphs: [
      `您的摄像头“${p.cameraName}”的免费云存储试用将于 ${f.date(p.endsAt)} 结束。`,
      "选择一个套餐即可保留云端录像；不选择套餐，摄像头仍会在本地录像。",
    ],
    action: { label: "选择套餐", url: p.plansUrl },
  }),
  subscription_cancelled: (p) => ({
    subject: `您的 ${p.planName} 套餐已结束`,
    paragraphs: [`您的 AOVIS ${p.planName} 套餐已取消并结束。您可以随时重新订阅。`],
    action: { label: "我的服务", url: p.servicesUrl },
  }),
  footer: "您收到此邮件，是因为您拥有 AOVIS Edge 账户。",
};
