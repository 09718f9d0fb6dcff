import type { Messages } from "../en";

export const checkout: Messages["checkout"] = {
  meta: {
    title: "感谢购买 — AOVIS Edge",
  },
  subscription: {
    titleActive: "感谢购买：{name} 已生效",
    titleSetUp: "感谢购买：{name} 已创建",
    history: "您的摄像头现在可保存 {days, plural, =1 {24 小时} other {# 天}}的云端录像。",
    voice: "您的语音工作室已升级。",
    endsOn: "将于 {date} 结束。",
    renewsOn: "将于 {date} 续订。",
    summary: "{what}{when}",
    unconfirmed: "Stripe 尚未确认此笔付款。确认后您的套餐即会开始，无需再次付款。",
  },
  order: {
    title: "感谢您的订单",
    paid: "我们已收到您购买 {name} 的付款，发货时会发邮件通知您。",
    placed: "您的 {name} 订单已提交。付款完成后我们会尽快发货。",
  },
  pending: {
    title: "正在确认您的付款",
    body: "通常只需几秒钟。<again>再次查看</again>；您不会被重复扣款。",
  },
  error: {
    title: "我们暂时无法确认您的付款",
    body: "{message}如果您已完成付款，套餐很快就会显示；您不会被重复扣款。",
  },
  actions: {
    services: "查看您的服务",
    devices: "您的摄像头",
  },
};
