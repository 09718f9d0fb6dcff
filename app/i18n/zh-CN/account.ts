import type { Messages } from "../en";

export const account: Messages["account"] = {
  nav: {
    label: "账户",
    overview: "概览",
    devices: "设备",
    search: "搜索",
    services: "服务",
  },
  overview: {
    metaTitle: "我的账户 — AOVIS Edge",
    title: "我的账户",
    profile: "个人资料",
    email: "电子邮件",
    name: "姓名",
    memberSince: "注册时间",
    voiceStudio: "语音工作室",
    cameras: "摄像头",
    manageDevices: "管理设备",
  },
  timeZone: {
    title: "时区",
    shownProfile: "日期和时间按 <strong>{zone}</strong> 显示。",
    shownBrowser: "日期和时间按 <strong>{zone}</strong>（浏览器的时区）显示。",
    shownDefault: "日期和时间按 <strong>{zone}</strong> 显示（浏览器尚未告知其时区）。",
    label: "时间显示时区",
    browser: "跟随浏览器时区",
    save: "保存时区",
    saving: "正在保存…",
    saved: "日期现在按 {zone} 显示。",
    savedBrowser: "日期现在跟随浏览器的时区。",
    invalid: "请从列表中选择一个时区。",
  },
  sessions: {
    title: "登录会话",
    intro: "“在所有设备上退出”会立即结束您在所有浏览器和设备上的全部会话。",
    signOut: "退出登录",
    everywhere: "在所有设备上退出…",
    confirm: "<b>要在所有浏览器和设备上退出吗？</b>之后您需要在各处重新登录，包括当前这台设备。",
    confirmButton: "确认，在所有设备上退出",
  },
  data: {
    title: "我的数据",
    intro: "将我们保存的您的全部数据下载为一个 JSON 文件，或删除您的账户。",
    download: "下载我的数据",
    delete: "删除账户…",
  },
};
