/** Strings of components/Field.tsx and the generic form and input sentences (app/http). Same keys in ../zh-CN/field.ts (test/unit/i18n-catalogues.test.ts checks). */
export const field = {
  /** app/http/input.server.ts: a field's problem when its schema gave no sentence of its own. */
  problems: {
    empty: "This can't be empty.",
    minChars: "Use at least {min} characters.",
    minChoices: "Choose at least {min}.",
    minValue: "Use a value of at least {min}.",
    maxChars: "Use at most {max} characters.",
    maxChoices: "Choose at most {max}.",
    maxValue: "Use a value of at most {max}.",
    email: "Enter an email address, like name@example.com.",
    format: "This isn't in the expected format.",
    required: "This is required.",
    type: "This isn't the expected kind of value.",
    option: "Choose one of the offered options.",
    unknownKeys: "There are fields we don't know.",
    invalid: "This value isn't valid.",
  },
  /** app/http/form-action.server.ts: a form reply when the form itself couldn't be used. */
  form: {
    invalid: "Please check the form: some fields are missing or invalid.",
    unreadable: "That request could not be read. Please use the form on this page.",
  },
};
