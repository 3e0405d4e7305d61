import { CodeUnitTrie } from './code-unit-trie.js';
import { normalizeForMatching } from './normalize.js';

/**
 * A small curated English ↔ Chinese lexicon of customer-service vocabulary (banking,
 * payments, cards, insurance, HR and payroll, offices and visitors, generic service
 * requests). Each concept lists English words or phrases and Chinese words (Simplified,
 * Traditional or Hong Kong usage; all are normalized like user text before matching). A text
 * containing any of them gets the concept as an extra feature, so an English example and
 * a Chinese one of the same meaning share features: with a handful of examples per
 * intent and per language, this is what lets Mandarin examples teach the English and
 * Cantonese side (and vice versa).
 *
 * Written from general domain knowledge, not from any corpus: keep it generic (words a
 * bank, insurer, HR desk or reception uses) and prefer precise terms over polysemous
 * single characters. English entries are matched after `stemEnglish`.
 *
 * It is carebot's one bilingual concept table: hot topics (`src/analytics/topics/`) map the
 * words of complaints to the same concepts, so "roaming charges", "漫游费" and "漫遊收費" meet
 * there as they do in the NLU.
 */
const CONCEPTS: readonly (readonly [string, readonly string[], readonly string[]])[] = [
  // Money, accounts, cards
  ['account', ['account', 'acct'], ['账户', '户口', '账号']],
  ['balance', ['balance', 'how much money', 'money left'], ['余额', '结余', '剩多少钱', '还有多少钱']],
  ['money', ['money', 'cash', 'fund'], ['钱', '现金', '资金']],
  ['card', ['card'], ['卡']],
  ['credit_card', ['credit card'], ['信用卡', '信用咭']],
  ['debit_card', ['debit card', 'atm card'], ['扣账卡', '借记卡', '提款卡']],
  ['atm', ['atm', 'cash machine'], ['自动柜员机', '柜员机', '提款机']],
  ['pin', ['pin', 'passcode', 'password'], ['密码', '私人密码']],
  ['lost', ['lost', 'lose', 'missing', 'cannot find', 'can not find', 'cant find', 'misplaced'], ['丢', '丢失', '遗失', '不见', '唔见', '掉了', '找不到']],
  ['stolen', ['stolen', 'stole', 'theft', 'robbed'], ['被偷', '被盗', '偷了', '盗窃']],
  ['block', ['block', 'freeze', 'frozen', 'suspend', 'lock'], ['冻结', '锁卡', '止付', '暂停', '挂失']],
  ['activate', ['activate', 'activation', 'enable'], ['激活', '启用', '开通', '开卡']],
  ['replace', ['replace', 'replacement', 'new one', 'reissue', 'renew'], ['补办', '更换', '换卡', '补发', '换新', '续期']],
  ['expire', ['expire', 'expiry', 'expired', 'expiring', 'expiration', 'valid until'], ['到期', '过期', '有效期', '届满']],
  ['open_account', ['open', 'opening', 'set up', 'sign up', 'register', 'registration', 'enrol', 'enroll'], ['开户', '开立', '开设', '申请', '注册', '登记', '报名']],
  ['close', ['close', 'closing', 'terminate', 'termination'], ['关闭', '销户', '注销', '终止']],
  ['cancel', ['cancel', 'cancellation', 'stop', 'surrender'], ['取消', '退保', '撤销', '停止', '解约', '退订', '中止']],
  ['transfer', ['transfer', 'send money', 'remit', 'remittance', 'wire'], ['转账', '转帐', '汇款', '过数', '转钱', '汇钱']],
  ['overseas', ['overseas', 'abroad', 'international', 'foreign', 'cross border', 'telegraphic'], ['海外', '境外', '国外', '国际', '跨境', '电汇', '外地']],
  ['limit', ['limit', 'maximum', 'max', 'cap', 'up to', 'how much can'], ['限额', '上限', '额度', '最多', '限制']],
  ['daily', ['daily', 'per day', 'a day', 'each day', 'every day'], ['每日', '每天', '一天', '日']],
  ['exchange_rate', ['exchange rate', 'fx', 'currency', 'rate'], ['汇率', '外汇', '兑换', '找换', '牌价']],
  ['currency_rmb', ['rmb', 'renminbi', 'yuan', 'cny'], ['人民币']],
  ['currency_hkd', ['hkd', 'hong kong dollar'], ['港币', '港元', '港纸']],
  ['currency_usd', ['usd', 'us dollar', 'american dollar'], ['美元', '美金']],
  ['interest', ['interest', 'apr', 'yield'], ['利息', '利率', '息率', '息口']],
  ['deposit', ['deposit', 'fixed deposit', 'time deposit', 'saving', 'savings'], ['存款', '定期', '存钱', '储蓄', '定存']],
  ['loan', ['loan', 'borrow', 'lend', 'lending', 'credit line'], ['贷款', '借钱', '借贷', '私人贷款']],
  ['mortgage', ['mortgage', 'home loan', 'housing loan', 'property loan'], ['按揭', '房贷', '楼按', '供楼', '房屋贷款']],
  ['repay', ['repay', 'repayment', 'instalment', 'installment', 'monthly payment'], ['还款', '供款', '分期', '月供', '还钱']],
  ['pay', ['pay', 'payment', 'settle', 'paid'], ['付款', '支付', '缴费', '缴付', '付', '交', '俾钱', '给钱']],
  ['bill', ['bill', 'invoice', 'due amount', 'amount due'], ['账单', '帐单', '单']],
  ['statement', ['statement', 'e statement', 'estatement', 'record', 'history', 'transactions'], ['结单', '月结单', '对账单', '流水', '记录', '交易记录']],
  ['fee', ['fee', 'charge', 'charged', 'cost', 'price', 'commission'], ['费用', '手续费', '收费', '费', '价钱', '价格', '几钱', '多少钱']],
  ['refund', ['refund', 'reimburse', 'reimbursement', 'money back', 'pay back'], ['退款', '退钱', '报销', '退回', '发还']],
  ['fraud', ['fraud', 'scam', 'scammed', 'scammer', 'phishing', 'suspicious', 'unauthorised', 'unauthorized', 'fake'], ['诈骗', '欺诈', '骗', '呃', '可疑', '盗刷', '钓鱼', '假冒', '未经授权']],
  ['fps', ['fps', 'faster payment', 'instant transfer', 'proxy id'], ['转数快', '快速支付']],
  ['app', ['app', 'mobile banking', 'online banking', 'internet banking', 'website', 'online'], ['应用', '手机银行', '网上银行', '网银', '网上', '程式', 'app']],
  ['login', ['login', 'log in', 'sign in', 'logon', 'locked out'], ['登录', '登入', '登陆']],
  ['otp', ['otp', 'verification code', 'sms code', 'one time password'], ['验证码', '短信', '一次性密码']],
  ['branch', ['branch', 'bank', 'office'], ['分行', '支行', '银行', '网点']],
  ['nearest', ['nearest', 'near', 'nearby', 'closest', 'near me', 'around here'], ['最近', '附近', '就近']],
  ['appointment', ['appointment', 'book', 'booking', 'reserve', 'reservation', 'schedule', 'time slot'], ['预约', '预订', '约时间', '订位', '排期']],
  ['opening_hours', ['opening hours', 'open', 'close', 'business hours', 'what time', 'hours'], ['营业时间', '开门', '关门', '几点', '营业', '开放时间', '收工']],
  ['weekend', ['weekend', 'saturday', 'sunday', 'holiday'], ['周末', '星期六', '星期日', '礼拜六', '礼拜日', '周六', '周日', '假日']],
  ['change', ['change', 'update', 'modify', 'amend', 'edit', 'switch'], ['更改', '修改', '更新', '改', '变更', '转']],
  ['address', ['address'], ['地址']],
  ['phone', ['phone', 'mobile', 'phone number', 'telephone', 'call'], ['电话', '手机', '号码', '致电', '打电话']],
  ['email', ['email', 'e mail', 'mail'], ['电邮', '邮件', '邮箱']],
  ['document', ['document', 'paperwork', 'proof', 'certificate', 'form', 'copy', 'receipt', 'original'], ['文件', '证明', '单据', '表格', '收据', '正本', '副本', '发票', '资料', '材料', '证件']],
  ['id', ['id', 'identity', 'identification', 'passport', 'id card'], ['身份证', '身份', '护照', '证件']],
  // Insurance
  ['insurance', ['insurance', 'insure', 'insured', 'cover', 'coverage', 'covered'], ['保险', '投保', '保障', '保', '受保', '承保']],
  ['policy', ['policy', 'plan'], ['保单', '保险单', '计划', '计画']],
  ['claim', ['claim', 'claims', 'compensation', 'payout'], ['理赔', '索偿', '索赔', '赔', '赔偿', '申索']],
  ['claim_status', ['claim status', 'progress', 'status', 'track', 'tracking', 'update on'], ['进度', '状态', '进展', '跟进', '审批']],
  ['premium', ['premium', 'premiums'], ['保费', '保险费', '供款']],
  ['exclusion', ['exclusion', 'exclude', 'excluded', 'not covered', 'exception'], ['除外', '不保', '不包', '不赔', '除外责任', '免责']],
  ['waiting_period', ['waiting period', 'wait period'], ['等候期', '等待期', '观察期']],
  ['cooling_off', ['cooling off', 'cooling off period', 'free look'], ['冷静期', '犹豫期']],
  ['medical', ['medical', 'health', 'hospital', 'doctor', 'clinic', 'illness', 'sick', 'ill', 'surgery'], ['医疗', '医疗保险', '住院', '医院', '医生', '看病', '诊所', '病', '手术', '门诊']],
  ['critical_illness', ['critical illness', 'cancer', 'stroke', 'heart attack'], ['危疾', '重疾', '重大疾病', '癌症', '中风']],
  ['life', ['life insurance', 'life cover', 'death'], ['人寿', '寿险', '身故']],
  ['travel', ['travel', 'trip', 'flight', 'delay', 'delayed', 'luggage', 'baggage'], ['旅游', '旅行', '航班', '延误', '行李', '出游', '外游']],
  ['accident', ['accident', 'injury', 'injured', 'hurt'], ['意外', '受伤', '伤']],
  ['car', ['car', 'vehicle', 'motor', 'drive', 'driving'], ['汽车', '车', '私家车', '汽车保险', '揸车', '开车']],
  ['home', ['home', 'house', 'flat', 'apartment', 'property'], ['家', '住宅', '房屋', '楼', '单位', '房子']],
  ['beneficiary', ['beneficiary', 'beneficiaries', 'nominee'], ['受益人', '受保人']],
  ['family', ['child', 'children', 'kid', 'son', 'daughter', 'spouse', 'wife', 'husband', 'family', 'parent', 'baby'], ['孩子', '小孩', '子女', '儿子', '女儿', '仔', '女', '配偶', '太太', '老婆', '老公', '丈夫', '家人', '父母', '宝宝', 'bb']],
  ['buy', ['buy', 'purchase', 'get a', 'apply for', 'take out', 'sign up for'], ['买', '购买', '投保', '申请', '入']],
  ['product', ['product', 'products', 'plans', 'options', 'offer', 'what kinds'], ['产品', '计划', '种类', '有什么']],
  ['complaint', ['complaint', 'complain', 'unhappy', 'dissatisfied', 'terrible', 'bad service', 'feedback'], ['投诉', '不满', '不满意', '差', '意见', '申诉', '反馈']],
  // HR and payroll
  ['salary', ['salary', 'pay', 'wage', 'wages', 'paid', 'payroll', 'income'], ['工资', '薪水', '薪金', '人工', '粮', '薪酬', '出粮', '发薪']],
  ['payslip', ['payslip', 'pay slip', 'pay stub', 'salary slip', 'wage slip'], ['工资单', '粮单', '薪资单', '糧单', '工资条']],
  ['payday', ['payday', 'pay day', 'when do we get paid', 'salary date'], ['发工资', '出粮', '发薪日', '几号出粮', '几号发工资']],
  ['leave', ['leave', 'day off', 'days off', 'time off', 'vacation', 'holiday', 'absence'], ['假', '休假', '请假', '假期', '放假', '年假', '告假']],
  ['annual_leave', ['annual leave', 'paid leave', 'holiday entitlement', 'vacation days'], ['年假', '年休假', '带薪假']],
  ['sick_leave', ['sick leave', 'sick day', 'sick note', 'medical certificate', 'unwell'], ['病假', '医生纸', '病假条', '病假单', '不舒服']],
  ['maternity', ['maternity', 'pregnant', 'pregnancy', 'give birth', 'childbirth'], ['产假', '怀孕', '生孩子', '生小孩', '分娩', '有了']],
  ['paternity', ['paternity', 'new father', 'wife gave birth'], ['陪产假', '侍产假', '陪产']],
  ['marriage', ['marriage', 'married', 'wedding', 'marry'], ['婚假', '结婚', '婚礼', '注册结婚']],
  ['apply', ['apply', 'application', 'request', 'submit', 'file'], ['申请', '提交', '递交', '办理', '交']],
  ['approve', ['approve', 'approval', 'approved', 'manager'], ['批准', '审批', '批', '上司', '经理']],
  ['social_insurance', ['social insurance', 'social security', 'pension', 'mpf', 'retirement'], ['社保', '社会保险', '五险', '养老', '养老金', '强积金', '退休']],
  ['housing_fund', ['housing fund', 'provident fund', 'housing provident'], ['公积金', '住房公积金']],
  ['tax', ['tax', 'taxes', 'deduction', 'deductions', 'withholding'], ['税', '个税', '个人所得税', '扣税', '报税', '专项附加扣除', '扣除']],
  ['deduct', ['deduct', 'deducted', 'deduction', 'withheld'], ['扣', '扣除', '扣钱', '代扣']],
  ['training', ['training', 'course', 'courses', 'learning', 'workshop', 'study'], ['培训', '课程', '进修', '学习', '训练']],
  ['resign', ['resign', 'resignation', 'quit', 'leave the company', 'notice period', 'terminate'], ['辞职', '离职', '辞工', '通知期', '不干了']],
  ['work_permit', ['work permit', 'work visa', 'visa', 'employment pass'], ['工作签证', '工作许可', '工作证', '签证', '就业证']],
  ['canteen', ['canteen', 'cafeteria', 'meal', 'lunch', 'food', 'eat', 'meal allowance'], ['食堂', '饭堂', '午饭', '餐', '吃饭', '饭', '餐补', '饭钱']],
  ['allowance', ['allowance', 'subsidy', 'benefit', 'benefits', 'bonus'], ['补贴', '津贴', '福利', '补助', '奖金', '花红']],
  ['shift', ['shift', 'shifts', 'roster', 'rota', 'night shift', 'duty'], ['排班', '班次', '更表', '轮班', '值班', '夜班', '返更']],
  ['overtime', ['overtime', 'extra hours', 'ot'], ['加班', '加班费', '超时', '补水']],
  ['harassment', ['harassment', 'harass', 'bully', 'bullying', 'discrimination', 'grievance'], ['骚扰', '欺凌', '歧视', '投诉', '霸凌', '性骚扰']],
  ['employee', ['employee', 'staff', 'colleague', 'job', 'work', 'company', 'employer', 'hr'], ['员工', '同事', '工作', '公司', '雇主', '人事', '人力资源', '返工', '上班']],
  ['contract', ['contract', 'agreement', 'terms'], ['合同', '合约', '条款', '协议']],
  // Visitors, office, facilities
  ['visitor', ['visitor', 'guest', 'visit', 'visiting'], ['访客', '来宾', '访问', '拜访', '参观']],
  ['badge', ['badge', 'pass', 'access card', 'visitor pass', 'check in', 'sign in'], ['通行证', '访客证', '证', '门禁卡', '登记', '签到']],
  ['reception', ['reception', 'front desk', 'lobby', 'receptionist'], ['前台', '接待处', '大堂', '接待']],
  ['floor', ['floor', 'level', 'storey', 'lift', 'elevator', 'stairs'], ['楼', '层', '电梯', '楼梯', '几楼']],
  ['where', ['where', 'location', 'located', 'how do i get', 'how to get', 'direction', 'directions', 'way to', 'find'], ['哪里', '在哪', '位置', '怎么去', '点去', '去哪', '路线', '方向', '找']],
  ['meeting_room', ['meeting room', 'conference room', 'boardroom'], ['会议室', '会议', '开会']],
  ['wifi', ['wifi', 'wi fi', 'internet', 'wireless', 'network', 'hotspot'], ['无线网络', '上网', '网络', '无线', 'wifi', '热点']],
  ['password_wifi', ['wifi password', 'network password'], ['wifi密码', '上网密码']],
  ['lost_property', ['lost property', 'lost and found', 'left behind', 'forgot', 'forgotten', 'left my'], ['失物', '失物认领', '留低', '落下', '忘记', '遗留', '漏']],
  ['belongings', ['umbrella', 'bag', 'wallet', 'phone', 'keys', 'laptop', 'glasses'], ['雨伞', '遮', '伞', '袋', '包', '钱包', '银包', '锁匙', '钥匙', '手提电脑', '眼镜']],
  ['parking', ['parking', 'park', 'car park', 'carpark', 'parking lot', 'parking space'], ['停车', '泊车', '停车场', '车位', '泊位']],
  ['toilet', ['toilet', 'toilets', 'restroom', 'bathroom', 'washroom', 'loo', 'wc', 'lavatory'], ['洗手间', '厕所', '卫生间', '厕', '男厕', '女厕']],
  ['transport', ['transport', 'mtr', 'subway', 'metro', 'bus', 'taxi', 'train', 'shuttle', 'station', 'minibus'], ['交通', '地铁', '港铁', '巴士', '公交', '的士', '出租车', '火车', '站', '小巴', '接驳']],
  ['emergency', ['emergency', 'urgent', 'first aid', 'ambulance', 'fire', 'help me', 'injured', 'faint', 'fainted'], ['紧急', '急救', '救护车', '火警', '救命', '急', '晕倒', '受伤']],
  // Telecom, subscriptions, orders and deliveries
  ['subscription', ['subscription', 'subscribe', 'plan', 'package', 'contract plan', 'membership'], ['套餐', '订阅', '月费计划', '计划', '会员', '配套']],
  ['upgrade', ['upgrade', 'downgrade', 'switch plan', 'change plan'], ['升级', '降级', '转套餐', '换套餐']],
  ['sim', ['sim', 'sim card', 'esim'], ['电话卡', '手机卡', 'sim卡']],
  ['mobile_data', ['data', 'mobile data', 'data usage', 'gb'], ['流量', '数据', '上网数据', '用量']],
  ['roaming', ['roaming', 'roam'], ['漫游', '外游数据']],
  ['broadband', ['broadband', 'fibre', 'fiber', 'router', 'modem'], ['宽带', '宽频', '光纤', '路由器']],
  ['signal', ['signal', 'no service', 'coverage', 'reception', 'dropped call'], ['信号', '收讯', '接收', '断线', '讯号']],
  ['order', ['order', 'orders', 'purchase'], ['订单', '订购', '落单', '下单']],
  ['delivery', ['delivery', 'deliver', 'shipping', 'ship', 'parcel', 'package', 'courier', 'arrive', 'arrival'], ['送货', '快递', '物流', '派送', '送到', '包裹', '寄', '到货', '收货']],
  ['return', ['return', 'send back', 'exchange item'], ['退货', '退换', '换货', '寄回']],
  ['reset_password', ['reset password', 'forgot password', 'forgot my password', 'change password'], ['重设密码', '重置密码', '忘记密码', '改密码']],
  ['discount', ['discount', 'promotion', 'promo', 'coupon', 'voucher', 'offer', 'deal'], ['优惠', '折扣', '优惠券', '现金券', '促销', '减价']],
  // Conversation and service
  ['greeting', ['hello', 'hi', 'hey', 'good morning', 'good afternoon', 'good evening'], ['你好', '您好', '哈喽', '早晨', '早上好', '喂', '嗨']],
  ['thanks', ['thanks', 'thank', 'thank you', 'thx', 'ty', 'cheers', 'appreciate'], ['谢谢', '多谢', '感谢', '唔该', '谢']],
  ['goodbye', ['bye', 'goodbye', 'see you', 'see ya', 'later', 'good night'], ['再见', '拜拜', '再会', '晚安', '先走', '下次见', '回头见', '拜']],
  ['help', ['help', 'what can you do', 'what can i ask', 'how does this work', 'menu', 'options'], ['帮助', '帮忙', '你可以做什么', '你会什么', '功能', '有什么可以']],
  ['human', ['human', 'agent', 'person', 'someone', 'real person', 'representative', 'operator', 'staff', 'customer service', 'talk to'], ['人工', '真人', '客服', '职员', '转人工', '找人', '同人讲', '人']],
  ['time_when', ['when', 'what time', 'how long', 'how many days', 'date'], ['什么时候', '几时', '几点', '多久', '多长时间', '几天', '日期', '哪天']],
  ['how_many', ['how many', 'how much', 'number of'], ['多少', '几多', '几个', '几']],
  ['problem', ['problem', 'issue', 'error', 'not working', 'doesnt work', 'failed', 'fail', 'wrong', 'broken', 'fault', 'faulty', 'crash', 'crashes'], ['问题', '错误', '不行', '失败', '用不了', '坏了', '搞唔掂', '出错', '故障', '死机', '坏咗']],
  // Complaints (also what hot topics group by)
  ['expensive', ['expensive', 'too high', 'so high', 'overcharge', 'overcharged', 'overpriced', 'pricey', 'costly', 'too much'], ['贵', '太贵', '好贵', '昂贵', '太高', '好高', '这么高', '收贵']],
  ['slow', ['slow', 'slowly', 'lag', 'laggy', 'sluggish', 'takes forever'], ['慢', '好慢', '太慢', '很慢', '卡顿', '网速']],
  ['late', ['late', 'overdue', 'not arrived', 'still not here', 'never came'], ['迟', '迟到', '延迟', '晚了', '还没到', '未到']],
  ['wait', ['long wait', 'waiting time', 'kept waiting', 'on hold'], ['等候', '排队', '等了', '等咗', '轮候', '等很久', '等好耐']],
  ['check', ['check', 'view', 'see', 'look up', 'show', 'know', 'find out', 'enquire', 'inquire', 'query'], ['查', '查询', '查看', '看', '睇', '了解', '知道', '问']],
  ['download', ['download', 'print', 'get a copy', 'export'], ['下载', '打印', '导出']],
  ['want', ['want', 'would like', 'need', 'wish'], ['想', '要', '需要', '希望']],
];

/** Light English stemmer for matching: plural, -ing, -ed (a Porter step 1, simplified). */
/** Changes whenever the concept table does, so models trained with another table are retrained. */
export function lexiconFingerprint(): string {
  return JSON.stringify(CONCEPTS);
}

export function stemEnglish(word: string): string {
  const n = word.length;
  if (n <= 3) return word;
  if (word.endsWith('ies') && n > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('ing') && n > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && n > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && n > 4 && /(?:ch|sh|x|z)es$/u.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function undouble(stem: string): string {
  const n = stem.length;
  if (n >= 3 && stem[n - 1] === stem[n - 2] && !'lsz'.includes(stem[n - 1]!)) return stem.slice(0, -1);
  // "charg(ed)" ↔ "charge": drop a final e when stemming, so both meet at "charg".
  return stem;
}

/** A stemmed word as the lexicon indexes it: "charg(ed)" and "charge" meet at "charg". */
export function lexiconKey(stem: string): string {
  return stem.length > 1 && stem.charCodeAt(stem.length - 1) === 101 ? stem.slice(0, -1) : stem;
}

function stemPhrase(words: readonly string[]): string {
  return words.map((w) => lexiconKey(stemEnglish(w))).join(' ');
}

export interface Lexicon {
  /** Stemmed English word or phrase (space-separated) → concept ids. */
  english: Map<string, number[]>;
  /** Longest English phrase, in words. */
  maxEnglishWords: number;
  /** Proper word prefixes of the English phrases ("credit" of "credit card"): where matching can go on. */
  englishPrefixes: Set<string>;
  /** Normalized Chinese (or Latin-in-Chinese) term → concept ids. */
  chinese: CodeUnitTrie<number[]>;
  size: number;
  /** Concept names by id. */
  names: readonly string[];
}

const NEGATIONS = new Set(['不', '没']);

let cached: Lexicon | null = null;

/** The built-in lexicon, indexed on first use. */
export function lexicon(): Lexicon {
  if (cached) return cached;
  const english = new Map<string, number[]>();
  const englishPrefixes = new Set<string>();
  const chinese = new CodeUnitTrie<number[]>();
  let maxEnglishWords = 1;
  const add = (map: Map<string, number[]>, key: string, id: number): void => {
    const ids = map.get(key) ?? [];
    if (!ids.includes(id)) ids.push(id);
    map.set(key, ids);
  };
  CONCEPTS.forEach(([, en, zh], id) => {
    for (const phrase of en) {
      const words = normalizeForMatching(phrase).split(' ').filter(Boolean);
      if (words.length === 0) continue;
      maxEnglishWords = Math.max(maxEnglishWords, words.length);
      const stems = stemPhrase(words).split(' ');
      add(english, stems.join(' '), id);
      for (let n = 1; n < stems.length; n++) englishPrefixes.add(stems.slice(0, n).join(' '));
    }
    for (const term of zh) {
      const norm = normalizeForMatching(term).replace(/ /gu, '');
      if (norm === '') continue;
      chinese.set(norm, (ids = []) => (ids.includes(id) ? ids : [...ids, id]));
    }
  });
  cached = { english, maxEnglishWords, englishPrefixes, chinese, size: CONCEPTS.length, names: CONCEPTS.map(([name]) => name) };
  return cached;
}

/**
 * Concept ids of a run of English words, given as their lexicon keys (`lexiconKey` of the
 * stem), phrases included.
 */
export function englishConcepts(keys: readonly string[], out: number[]): void {
  const lex = lexicon();
  for (let i = 0; i < keys.length; i++) {
    let key = keys[i]!;
    for (let n = 1; ; n++) {
      const ids = lex.english.get(key);
      if (ids) for (const id of ids) out.push(id);
      if (n >= lex.maxEnglishWords || i + n >= keys.length || !lex.englishPrefixes.has(key)) break;
      key = `${key} ${keys[i + n]!}`;
    }
  }
}

/**
 * Concept ids of the terms found in a run of (normalized) Han characters: a walk down the
 * term trie from every position. Terms are matched on UTF-16 code units, so a term never
 * starts or stops inside a surrogate pair.
 */
export function chineseConcepts(run: string, out: number[]): void {
  const terms = lexicon().chinese;
  const len = run.length;
  for (let i = 0; i < len; i++) {
    if (isLowSurrogate(run.charCodeAt(i))) continue;
    let node = CodeUnitTrie.ROOT;
    for (let end = i; end < len; end++) {
      node = terms.child(node, run.charCodeAt(end));
      if (node < 0) break;
      const ids = terms.valueAt(node);
      if (ids === undefined || (end + 1 < len && isLowSurrogate(run.charCodeAt(end + 1)))) continue;
      // "包不包", "赔不赔" (A-not-A questions) do not contain the negative term "不包".
      if (end > i && NEGATIONS.has(run[i]!) && i > 0 && run[i - 1] === run[i + 1]) continue;
      for (const id of ids) out.push(id);
    }
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * The concept of an English word or phrase (its words stemmed like the NLU stems them), or
 * undefined. A phrase in several concepts ("network": wifi and signal) takes the one listed first.
 */
export function englishPhraseConcept(words: readonly string[]): string | undefined {
  const lex = lexicon();
  const id = lex.english.get(stemPhrase(words))?.[0];
  return id === undefined ? undefined : lex.names[id];
}

/** The concept of a whole Chinese term (`normalizeForMatching`'s form), or undefined. */
export function chineseTermConcept(term: string): string | undefined {
  const lex = lexicon();
  const id = lex.chinese.get(term)?.[0];
  return id === undefined ? undefined : lex.names[id];
}

/** The longest term of the table starting at `start` in `text`: its end and concept, or undefined. */
export function longestChineseTerm(text: string, start: number): { end: number; concept: string } | undefined {
  const lex = lexicon();
  let node = CodeUnitTrie.ROOT;
  let found: { end: number; concept: string } | undefined;
  for (let end = start; end < text.length; end++) {
    node = lex.chinese.child(node, text.charCodeAt(end));
    if (node < 0) break;
    const id = lex.chinese.valueAt(node)?.[0];
    if (id !== undefined && !isLowSurrogate(text.charCodeAt(end + 1))) found = { end: end + 1, concept: lex.names[id]! };
  }
  return found;
}
