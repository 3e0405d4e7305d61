/**
 * A small bilingual concept list for customer-service complaints: Chinese words (Simplified
 * after conversion) and English stems that mean the same thing map to one concept, so the
 * same complaint in English, Mandarin and Cantonese lands in one topic. Unlisted words stay
 * themselves (they still cluster within their language).
 */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  roaming: ['roam', 'roaming', '漫游'],
  charge: ['charge', 'fee', 'cost', 'price', 'pricing', 'tariff', '费', '费用', '收费', '价钱', '价格', '月费', '话费', '收钱'],
  expensive: ['expensive', 'high', 'pricey', 'overcharge', 'overcharged', 'costly', '贵', '太贵', '高', '太高', '昂贵', '好贵', '咁贵'],
  bill: ['bill', 'billing', 'invoice', 'statement', '账单', '帐单'],
  refund: ['refund', 'reimburse', '退款', '退钱', '回款'],
  slow: ['slow', 'lag', 'laggy', '慢', '好慢', '太慢'],
  network: ['network', 'signal', 'coverage', 'reception', '网络', '信号', '网速', '讯号'],
  data: ['data', 'internet', '流量', '数据', '上网'],
  app: ['app', 'application', '应用', '程式', '程序'],
  login: ['login', 'log', 'signin', '登录', '登入'],
  password: ['password', 'pin', '密码'],
  delivery: ['delivery', 'deliver', 'shipping', 'parcel', 'courier', '送货', '快递', '配送', '派送', '包裹'],
  late: ['late', 'delay', 'delayed', '迟', '延迟', '晚', '迟到'],
  cancel: ['cancel', 'cancellation', 'terminate', '取消', '解约', '退订'],
  card: ['card', '卡'],
  wait: ['wait', 'waiting', 'queue', '等', '等候', '排队'],
  staff: ['staff', 'agent', 'human', 'person', 'representative', '客服', '人工', '职员', '真人'],
  complaint: ['complain', 'complaint', '投诉', '投訴'],
  broken: ['broken', 'fault', 'faulty', 'crash', 'crashes', 'error', '坏', '故障', '坏咗', '死机', '出错'],
  contract: ['contract', 'plan', 'package', '合约', '套餐', '计划'],
  leave: ['leave', 'vacation', 'holiday', '假', '假期', '年假', '放假'],
  salary: ['salary', 'pay', 'payroll', 'wage', '工资', '人工资', '薪金', '薪水', '出粮'],
};

export const ZH_TO_CONCEPT = new Map<string, string>();
export const EN_TO_CONCEPT = new Map<string, string>();
for (const [concept, words] of Object.entries(CONCEPTS)) {
  for (const word of words) (/[a-z]/.test(word) ? EN_TO_CONCEPT : ZH_TO_CONCEPT).set(word, concept);
}
/** Longest Chinese glossary entries first, for splitting compounds the segmenter kept whole (漫游费 → 漫游 + 费). */
export const ZH_ENTRIES = [...ZH_TO_CONCEPT.keys()].sort((a, b) => b.length - a.length);
