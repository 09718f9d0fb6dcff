import type { Messages } from "../en";

export const events: Messages["events"] = {
  types: {
    person: "人",
    package: "包裹",
    vehicle: "车辆",
    animal: "动物",
    motion: "移动",
    sound: "声音",
  },
  markers: {
    label: "{day}的事件",
    at: "{time} {type}",
  },
  cameraDay: {
    title: "这台摄像头今天的动态",
    noCloud: "事件随云端历史录像一起保存，而这台摄像头的套餐不包含云端历史。",
    noAi: "所有付费云存储套餐都包含事件描述、每日简报和智能搜索。",
    seePlans: "查看套餐",
    nothing: "今天还没有检测到任何动静。",
    nothingUtc: "今天（UTC）还没有检测到任何动静。",
    playMoment: "，播放这一刻",
    total: "{count, plural, other {今天共 # 个事件。}}",
    seeAll: "查看全部",
    todayQuery: "今天",
  },
  brief: {
    title: "您的摄像头今天的动态",
    fallback: "开通 AI 摘要后，这里会用一句话概括每台摄像头的一天。",
    fallbackLink: "看看您的摄像头今天拍到了什么",
    failed: "无法加载今日简报。",
    failedLink: "在搜索中查看今天的事件",
    /** Between a camera's name and its day's sentence. */
    separator: "：",
    nothingYet: "今天还没有检测到动静。",
    withoutAi:
      "{who, select, mine {您的摄像头没有} one {有一台摄像头没有} all {您的摄像头都没有} other {有 {count} 台摄像头没有}}每日简报：所有付费云存储套餐都包含 AI 摘要。",
    seePlans: "查看套餐",
    search: "搜索您的摄像头拍到的内容",
  },
};
