import type { Messages } from "../en";

export const auth: Messages["auth"] = {
  login: {
    metaTitle: "登录 — AOVIS Edge",
    title: "登录",
    intro: "使用您的 AOVIS ID 登录，管理您的摄像头、套餐和语音工作室。",
    failed: "未能完成登录，请重试。",
    cancelled: "登录已取消。",
    continue: "继续登录",
    opening: "正在打开登录页…",
  },
  callback: {
    metaTitle: "正在登录 — AOVIS Edge",
    title: "登录未完成",
    again: "重新登录",
    reference: "参考代码：",
  },
};
