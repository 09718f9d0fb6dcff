import type { Messages } from "../en";

export const common: Messages["common"] = {
  meta: {
    title: "AOVIS Edge — NEXA 摄像头、云录像与语音工作室",
    description: "NEXA 安防摄像头、云录像套餐与 AOVIS 语音工作室。",
  },
  header: {
    skip: "跳到主要内容",
    home: "AOVIS Edge 首页",
    mainNav: "主导航",
    store: "商店",
    voice: "语音工作室",
    account: "账户",
    signIn: "登录",
    signOut: "退出登录",
    loading: "正在加载",
    menu: "菜单",
    menuNav: "主导航（菜单）",
  },
  footer: {
    line: "© AOVIS Edge · NEXA 摄像头 · 价格以美元计，税费在结账时计算。",
  },
  language: {
    label: "语言",
    current: "{language}（当前）",
  },
  notFound: {
    title: "找不到该页面",
    body: "链接可能已过期，或页面已移动。",
    store: "浏览商店",
    home: "返回首页",
  },
  error: {
    serverTitle: "我们这边出了点问题",
    serverBody: "我们已记录此问题，请稍后再试。",
    clientTitle: "操作未能完成",
    clientBody: "无法完成此请求。请检查您输入的内容后重试。",
    home: "返回首页",
  },
};
