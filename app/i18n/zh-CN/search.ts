import type { Messages } from "../en";

export const search: Messages["search"] = {
  meta: { title: "搜索您的摄像头 — AOVIS Edge" },
  title: "搜索您的摄像头",
  intro: "用自己的话描述发生了什么，例如“昨天的包裹”“8点以后有人”“上周二的车”。",
  upgrade: {
    title: "所有付费云存储套餐都包含智能搜索",
    noCameras: "您还没有摄像头。请先激活一台，再选择云存储套餐，即可搜索它拍到的内容。",
    noPlan: "您的摄像头都没有付费云存储套餐：使用 Local 套餐或处于免费试用的摄像头无法搜索。",
    devices: "前往我的设备",
    plans: "查看套餐",
  },
  form: {
    q: "您想找什么？",
    camera: "摄像头",
    all: "我的所有摄像头",
    noSmartSearch: "（无智能搜索）",
    submit: "搜索",
    searching: "正在搜索…",
  },
  errors: {
    empty: "请输入您要找的内容。",
    tooLong: "最多 {max} 个字符。",
    cursor: "这不是本次搜索结果中的一页。请重新搜索。",
    notYours: "这台摄像头不属于您。",
  },
  suggestions: {
    label: "搜索建议",
    try: "试试：",
    person: "有人",
    package: "包裹",
    car: "汽车",
    yesterdayEvening: "昨天晚上",
    since8am: "8点以后",
  },
  results: {
    results: "搜索结果",
    none: "没有结果",
    range: "{start} 至 {end}（{zone}）",
    detected: "检测到{type}",
    play: "播放这一刻",
    playOn: "（{camera}）",
    older: "更早的结果",
  },
  empty: {
    outsideWindow: "该时间超出了您的套餐保存范围。",
    outsideWindowSince: "该时间超出了您的套餐保存范围：可搜索 {since} 以后的历史。",
    notYet: "那个时间还没到。",
    noMatch: "没有找到匹配的内容。请减少关键词，或试试搜索建议。",
    noEvents: "您的摄像头还没有记录到任何事件。",
    noEventsSince: "自 {since} 以来，您的摄像头还没有记录到任何事件。",
  },
};
