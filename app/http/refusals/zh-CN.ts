/**
 * 简体中文 sentences of every refusal code (ADR 028): the same codes as ../refusals.ts (the type
 * requires each one). The `error` code stays English; only `message` follows the served language.
 * A `sentence` fact written by edge parsing code is English, so zh-CN says the code's general
 * sentence instead.
 */
import { ACTIVATION_ACCOUNT_WINDOW_MS, ACTIVATION_CLIENT_WINDOW_MS, ACTIVATION_FAILURE_WINDOW_MS } from "~/domain/device-ownership";
import { MAX_CLONES_PER_USER } from "~/domain/voice-input";
import { MAX_CUSTOM_PRESETS } from "~/domain/voice-tiers";
import type { KnownRefusalCode } from "../refusals";

const SUBJECTS: Record<string, string> = {
  device: "摄像头",
  recording: "录音",
  preset: "预设",
  voice: "声音",
  subscription: "订阅",
  product: "商品",
  checkout: "结账记录",
  "transfer offer": "转让邀请",
  page: "页面",
  event: "事件",
};

const RATE_LIMITS: Record<string, string> = {
  sign_in: "登录尝试次数过多。请等待一分钟后重试。",
  activation: `此序列号的激活码错误次数过多。请等待 ${ACTIVATION_FAILURE_WINDOW_MS / 60_000} 分钟后重试。`,
  activation_account: `您的账户激活码错误次数过多。请最多等待 ${ACTIVATION_ACCOUNT_WINDOW_MS / 60_000} 分钟后重试。`,
  activation_network: `您的网络激活码错误次数过多。请最多等待 ${ACTIVATION_CLIENT_WINDOW_MS / 60_000} 分钟后重试。`,
  video: "此摄像头当前的视频请求过多。请稍后再试。",
};

const LOCKED: Record<string, (r: { planName: string; presetName?: string }) => string> = {
  sliders: (r) => `${r.planName} 不包含声音调节滑块。`,
  preset: (r) => `${r.planName} 不包含“${r.presetName ?? "所选"}”预设。`,
  custom_preset: (r) => `${r.planName} 不包含自定义预设。`,
  voice_cloning: (r) => `${r.planName} 不包含声音克隆。`,
  speaker_boost: (r) => `${r.planName} 不包含扬声器增强。`,
};

const OFFER_STATUS: Record<string, string> = { accepted: "接受", cancelled: "取消", expired: "过期" };
const VERBS: Record<string, string> = { unbind: "解绑", transfer: "转让", rename: "重命名" };

function videoService(r: { awsCode: string }): string {
  switch (r.awsCode) {
    case "InvalidResponse":
      return "视频服务返回了无法读取的应答。请稍后再试。";
    case "MissingEndpoint":
      return "视频服务未返回信令端点。";
    case "ResourceNotFoundException":
      return "该时间段没有录像（摄像头可能处于离线状态）。";
    case "ClientLimitExceededException":
      return "视频服务当前繁忙。请稍后再试。";
    default:
      return "视频服务无法应答。请稍后再试。";
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry reads its own facts
export const ZH_CN_REFUSALS: { [K in KnownRefusalCode]: string | ((r: any) => string) } = {
  not_found: (r: { subject?: string }) => (r.subject ? `找不到该${SUBJECTS[r.subject] ?? "内容"}。` : "未找到。"),
  unauthenticated: "请先登录再继续。",
  forbidden: (r: { verb?: string }) => (r.verb ? `只有摄像头的所有者才能${VERBS[r.verb] ?? "操作"}它。` : "您无权执行此操作。"),
  method_not_allowed: "此接口不接受该请求方法。",
  invalid_body: "无法将请求内容读取为 JSON 或表单数据。",
  invalid_request: "部分字段缺失或无效。",
  payload_too_large: "请求内容过大。",
  rate_limited: (r: { limit: string }) => RATE_LIMITS[r.limit] ?? "请求过于频繁。请稍后再试。",
  feature_locked: (r: { feature: string; planName: string; presetName?: string }) => LOCKED[r.feature]?.(r) ?? `${r.planName} 不包含此功能。`,
  csrf_rejected: "此请求并非来自 AOVIS 页面，已被拒绝。",
  internal_error: "我们这边出了点问题。请重试。",
  invalid_token: "登录令牌无效。请重新登录。",
  token_expired: "登录令牌已过期。请重新登录。",
  wrong_audience: "此登录令牌是为其他应用签发的。",
  wrong_issuer: "此登录令牌由未知的身份提供方签发。",
  token_too_old: (r: { maxAgeMinutes: number }) => `登录令牌已超过 ${r.maxAgeMinutes} 分钟。请重新登录。`,
  token_already_used: "此登录令牌已被使用。请重新登录。",
  token_revoked: "此登录令牌签发于您“在所有设备上退出登录”之前。请重新登录。",
  sign_in_state_invalid: "无法在此完成登录：它已被使用，或是在其他浏览器中发起的。请重新登录。",
  sign_in_expired: (r: { ttlMinutes: number }) => `此次登录耗时超过 ${r.ttlMinutes} 分钟。请重新登录。`,
  sign_in_code_rejected: "身份提供方未接受此次登录。请重新登录。",
  sign_in_unavailable: "无法连接登录服务。请稍后再试。",
  invalid_activation_code: "该序列号与激活码不匹配任何摄像头。",
  device_already_owned: "此摄像头属于另一个账户。需由其所有者解绑或转让给您。",
  active_subscription_requires_billing_portal: (r: { verb: string }) =>
    r.verb === "accept"
      ? "此摄像头有付费云套餐；需由其所有者先取消套餐，转让才能完成。"
      : `此摄像头有付费云套餐。请先在账单门户中取消套餐，然后再${VERBS[r.verb] ?? "操作"}摄像头。`,
  ownership_changed: "在移除过程中，此摄像头的归属发生了变化（已被移除或转让，或开通了付费套餐）。请刷新页面查看当前状态。",
  cannot_transfer_to_self: "您已经拥有此摄像头。",
  transfer_already_pending: (r: { raced?: boolean }) => (r.raced ? "此摄像头已有一个未完成的转让邀请。" : "此摄像头已有一个未完成的转让邀请。请先取消它。"),
  transfer_not_found: (r: { asked?: string }) => (r.asked === "cancel" ? "找不到该转让邀请。" : "此转让链接无效。"),
  wrong_recipient: "此转让是发给另一个邮箱地址的。请使用该地址登录以接受。",
  email_not_verified: "您的邮箱地址尚未验证。请在登录服务商处完成验证（点击其发送的验证邮件中的链接），然后重新登录，即可查看并接受摄像头转让。",
  transfer_expired: "此转让邀请已过期。请让所有者重新发送。",
  transfer_not_open: (r: { offerStatus?: string; changedSinceRead?: boolean; raced?: boolean }) =>
    r.changedSinceRead
      ? "在您接受期间，此转让邀请发生了变化（已取消或过期，或摄像头的所有者或套餐已变更）。请刷新页面查看当前状态。"
      : r.raced
        ? "此转让邀请已被接受。"
        : r.offerStatus
          ? `此转让邀请已被${OFFER_STATUS[r.offerStatus] ?? "处理"}。`
          : "此转让邀请已被接受、取消或已过期。",
  owner_changed: "此摄像头已不再属于发出转让邀请的人。",
  plan_not_purchasable: (r: { kind: string }) => (r.kind === "voice" ? "该语音等级无法购买。免费等级无需订阅。" : "该套餐无法购买。免费套餐无需订阅。"),
  price_mismatch: "该价格不是所选等级的价格。请只发送等级，或使用 GET /api/stripe/products 中的价格。",
  product_not_purchasable: "套餐需在“账户 › 服务”中为某台摄像头购买。",
  already_subscribed_use_billing_portal: (r: { kind: string }) =>
    r.kind === "voice" ? "您已有语音订阅。请在账单门户中更改等级。" : "此摄像头已有付费套餐。请在账单门户中更改或取消。",
  no_billing_account: "您还没有付费服务，因此没有可管理的内容。",
  stripe_misconfigured: "我们正在修复配置问题，付款功能暂时关闭。请稍后再试。",
  payment_provider_error: "无法连接我们的支付服务商。请稍后再试。",
  not_confirmed: "我们暂时无法记录您的购买。",
  missing_signature: "缺少 Stripe-Signature 请求头。",
  invalid_signature: "Webhook 签名无效或已过期。",
  invalid_payload: "Webhook 内容已签名，但不是 Stripe 事件。",
  processing_failed: "无法处理该事件；Stripe 会重试。",
  invalid_range: "开始时间必须早于结束时间，且结束时间不能晚于现在。",
  no_cloud_entitlement: "此摄像头没有云套餐，因此没有可观看的历史录像。实时画面仍可使用。",
  time_range_exceeds_entitlement: (r: { reason: string }) =>
    r.reason === "before_ownership" ? "这段录像早于此摄像头加入您的账户，因此您无权查看。" : "这段录像超出了您的套餐可查看的时间范围。",
  range_too_long: (r: { maxSeconds: number }) => `一个片段最多只能涵盖 ${r.maxSeconds / 3600} 小时。请分段获取。`,
  timeline_range_too_long: (r: { maxDays: number }) => `时间线最多只能涵盖 ${r.maxDays} 天。请分页获取。`,
  no_footage: "该时刻没有录像（摄像头可能处于离线状态）。",
  live_unavailable: "此摄像头尚无实时频道。请联系客服。",
  clip_error: videoService,
  stream_error: videoService,
  live_error: videoService,
  timeline_error: videoService,
  thumbnail_error: videoService,
  LIMIT_REACHED: (r: { limit: number; planName: string }) => `您本月已用完 ${r.planName} 包含的全部 ${r.limit} 次生成。`,
  clone_limit_reached: `您最多可以保留 ${MAX_CLONES_PER_USER} 个克隆声音。`,
  preset_limit_reached: `您最多可以保留 ${MAX_CUSTOM_PRESETS} 个自定义预设。`,
  generation_in_progress: "相同的文本正在生成中。请稍后再试。",
  not_ready: "此录音仍在保存中。请稍后再试。",
  unknown_voice: "该声音不可用。请从列表中选择一个。",
  provider_unavailable: (r: { operation: string }) =>
    r.operation === "generation" ? "语音服务繁忙或不可用。本次生成未计入用量，请重试。" : "语音服务暂时没有响应。请稍后再试。",
  provider_error: "语音服务出错。本次生成未计入用量，请重试。",
  provider_cut_off: "生成过程被语音服务中断。本次未计入用量，请重试。",
  provider_no_audio: "语音服务未返回音频。本次生成未计入用量，请重试。",
  storage_failed: (r: { what: string }) =>
    r.what === "clone"
      ? "您的声音已生成，但无法保存。请稍后再试。"
      : r.what === "upload"
        ? "无法保存该录音。请稍后再试。"
        : "无法保存音频。本次生成未计入用量，请重试。",
  storage_unavailable: "无法开始生成。本次未计入用量，请稍后再试。",
  duplicate_files: "每个样本都必须是不同的录音。",
  unsupported_file_type: (r: { file?: string }) => (r.file ? `${r.file} 不是我们接受的音频文件。` : "语音服务无法读取其中一个样本。请上传清晰、可播放的音频。"),
  no_files: "请至少添加一个音频样本。",
  too_many_files: (r: { max: number }) => `最多上传 ${r.max} 个样本。`,
  file_too_large: (r: { file: string; maxBytes: number }) => `${r.file} 超过 ${Math.round(r.maxBytes / (1024 * 1024))} MB。`,
  empty_file: (r: { file: string }) => `${r.file} 是空文件。`,
  range_not_satisfiable: "请求的字节范围超出了录音长度。",
  duplicate_recording: "删除此录音后，您又生成了相同的录音；新的录音在您的列表中。",
  gone: (r: { subject: string }) => `该${r.subject === "preset" ? "预设" : "录音"}已不存在。`,
  rule_unauthenticated: (r: { reason: string }) => (r.reason === "missing" ? "此接口只接收 AOVIS IoT 规则发送的带令牌消息。" : "IoT 规则的令牌未被接受。"),
  invalid_topic: "该消息未指定摄像头事件主题（aovis/<thing>/events）。",
  message_stale: "该消息接收时间过早（或在未来），无法处理。",
  device_mismatch: "该消息指定的摄像头与其发布的主题不一致。",
  event_time_out_of_range: "事件时间与接收时间相差过大。",
  event_duplicate: "此事件已被记录。",
  feature_not_in_plan: (r: { feature: string; planName: string; scope?: string }) => {
    const name = r.feature === "ai_summary" ? "AI 摘要" : "智能搜索";
    const whose = r.scope === "all" ? "您所有摄像头的套餐都不包含此功能" : "此摄像头的套餐不包含此功能";
    return `${name}包含在 ${r.planName} 及以上的所有付费云套餐中；${whose}。`;
  },
  date_not_started: "那一天还没有开始。",
  // Staff view (/ops) answers in English only; these exist so a code never lacks its sentence.
  access_required: "支持视图需要有效的 Cloudflare Access 登录。",
  mail_not_resendable: "只有仍在等待发送的邮件才能立即发送。已发送或已放弃的邮件不再保存其内容。",
  dead_letter_resolved: "此死信已被重新排队或丢弃；未作任何更改。",
  resync_failed: (r: { reason?: string }) => `无法应用 Stripe 的数据${r.reason ? `（${r.reason}）` : ""}。未作任何更改。`,
  confirmation_mismatch: "您输入的电子邮件地址与此账户的不一致。未删除任何内容。",
  active_plan_blocks_deletion: "您有一个会自动续订的付费套餐。请先在账单门户中取消；设置为取消后即可删除账户。",
  account_changed: "删除过程中您的账户发生了变化。未删除任何内容，请重试。",
};
