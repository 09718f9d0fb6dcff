import type { Messages } from "../en";

export const privacy: Messages["privacy"] = {
  delete: {
    metaTitle: "删除账户 — AOVIS Edge",
    title: "删除您的账户",
    goesTitle: "将被删除的内容",
    goesProfile: "您的个人资料：电子邮件地址、姓名、时区和语言。您将在所有设备上退出登录。",
    goesVoice: "您的语音工作室：{count, plural, other {# 条录音}}及其音频、收藏、克隆的声音和保存的预设。",
    goesCameras:
      "您的摄像头：{count, plural, =0 {您名下没有摄像头。} other {# 台摄像头将被释放，其他人可以激活它们。}}您为它们起的名称及其每日摘要也会一并删除。",
    keptTitle: "我们保留的内容及原因",
    keptBilling: "订单、发票和套餐记录：法律要求我们保留账单记录。这些记录将不再包含您的电子邮件地址或姓名。",
    keptTrial: "摄像头是否已使用过免费试用：无论归谁所有，每台摄像头只能试用一次。",
    keptLog: "账户和摄像头变更的安全日志，将关联到已删除的账户，而不再显示您的姓名。",
    copyFirst: "想先保留一份副本？<link>下载您的数据</link>（JSON）。",
    confirmTitle: "确认",
    blocked: "您有一个会自动续订的付费套餐（{plans}）。请先在<link>账单门户</link>中取消；设为到期取消后即可删除账户。",
    openBilling: "打开账单",
    typeEmail: "请输入您的电子邮件地址（{email}）以确认",
    understand: "我了解此操作无法撤销。",
    submit: "删除我的账户",
    deleting: "正在删除…",
    keep: "保留我的账户",
    emailMissing: "请输入您的电子邮件地址以确认。",
    tickBox: "请勾选此框，确认您已了解。",
  },
  deleted: {
    metaTitle: "账户已删除 — AOVIS Edge",
    title: "您的账户已删除",
    signedOut: "您已在所有设备上退出登录，您的录音正在删除中。",
    newAccount: "如果您使用同一电子邮件地址再次登录，将会创建一个新的空账户。",
    store: "返回商店",
  },
};
