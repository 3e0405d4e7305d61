import { extractEntities } from './src/nlu/entities/extract-entities.js';
for (const s of ['我想轉賬一千五百蚊畀我個女，聽日下晝三點', 'my five-year-old daughter in Wan Chai, transfer $200 tomorrow at 3pm', '我女儿五歲，住喺灣仔', '帮我订明天下午三点从上海到深圳的票，两个人', '囡囡今年5岁', 'I want the gold plan', '我要金卡']) console.log(s, JSON.stringify(extractEntities(s, [{name:'plan', values:{gold:['gold plan','金卡','金咭']}}])));
