/** Small, language-independent readers of what a customer typed in handoff moments. */

const CANCEL = /^\s*(cancel|stop waiting|never ?mind|quit|取消|唔等喇|唔等啦|唔等了|唔等|不等了|算了|算啦|算吧)\s*[.!。！]*\s*$/iu;
const YES = /^\s*(y|yes|yeah|yep|yes please|sure|of course|correct|right|ok|okay|please|好|好的|好啊|好呀|好吖|是|是的|是啊|对|對|没错|沒錯|冇錯|当然|當然|係|係呀|係啊|係喎|啱|要|要呀|可以|需要|得|ok啦|好啦)\s*[.!。！]*\s*$/iu;
const NO = /^\s*(n|no|nope|no thanks|no thank you|not really|不|不是|不对|不對|不用|不要|不需要|否|唔係|唔啱|唔使|唔洗|唔駛|唔要|唔好|唔需要|不用了|唔使喇|唔使啦)\s*[.!。！,，]*\s*$/iu;
const SKIP = /^\s*(skip|no|none|nothing|跳过|跳過|略过|略過|唔使|唔洗|冇|没有|沒有|不用)\s*[.!。！]*\s*$/iu;
/** Asking for a person, for when no NLU runs (the core.human intent covers the rest). */
const HUMAN = /\b(human|real person|live agent|an agent|representative|customer service)\b|轉人工|转人工|真人|人工客服|人工服務|人工服务|搵人|找人工/iu;

export const isCancel = (text: string) => CANCEL.test(text);
export const isYes = (text: string) => YES.test(text);
export const isNo = (text: string) => NO.test(text);
export const isSkip = (text: string) => SKIP.test(text);
export const asksForHuman = (text: string) => HUMAN.test(text);
