import type { Messages } from "../en";

export const field: Messages["field"] = {
  problems: {
    empty: "此项不能为空。",
    minChars: "请至少输入 {min} 个字符。",
    minChoices: "请至少选择 {min} 项。",
    minValue: "请输入不小于 {min} 的值。",
    maxChars: "最多可输入 {max} 个字符。",
    maxChoices: "最多可选择 {max} 项。",
    maxValue: "请输入不大于 {max} 的值。",
    email: "请输入电子邮件地址，例如 name@example.com。",
    format: "格式不正确。",
    required: "此项为必填项。",
    type: "该值的类型不正确。",
    option: "请从提供的选项中选择一项。",
    unknownKeys: "包含无法识别的字段。",
    invalid: "该值无效。",
  },
  form: {
    invalid: "请检查表单：部分字段缺失或无效。",
    unreadable: "无法读取该请求，请使用本页上的表单。",
  },
};
