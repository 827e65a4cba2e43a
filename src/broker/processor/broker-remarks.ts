import { perm2String } from '../../common/protocol/body/perm-name.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';

/** FAQUrl.suggestTodo: Java appends this hint to several remarks; clients show the remark verbatim. */
export const FAQ_URL = 'http://rocketmq.apache.org/docs/faq/';

export function suggestTodo(url: string = FAQ_URL): string {
  return `\nSee ${url} for further details.`;
}

/** TopicConfig.toString, quoted in Java's "queueId is illegal" remarks. */
export function topicConfigToString(tc: TopicConfig): string {
  return `TopicConfig [topicName=${tc.topicName}, readQueueNums=${tc.readQueueNums}, writeQueueNums=${tc.writeQueueNums}, perm=${perm2String(tc.perm)}, topicFilterType=${tc.topicFilterType}, topicSysFlag=${tc.topicSysFlag}, order=${tc.order}]`;
}
