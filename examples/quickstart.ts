// The README's quick start, kept runnable: `node --import tsx examples/quickstart.ts`
// (test/e2e/readme-quickstart.test.ts runs it). Applications import from 'rocketmq-ts'.
import { ConsumeConcurrentlyStatus, DefaultMQProducer, DefaultMQPushConsumer, Message } from '../src/index.js';
import { LocalCluster } from '../src/broker/index.js';

const cluster = await LocalCluster.start(); // in-process name server + broker, ephemeral ports
const { namesrvAddr } = cluster;

const producer = new DefaultMQProducer({ producerGroup: 'PG', namesrvAddr });
await producer.start();
const result = await producer.send(new Message('TopicTest', 'TagA', 'hello'));
console.log('sent', result.sendStatus, result.msgId);

let done!: () => void;
const consumed = new Promise<void>((resolve) => (done = resolve));
const consumer = new DefaultMQPushConsumer({ consumerGroup: 'CG', namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
consumer.subscribe('TopicTest', 'TagA || TagB', async (msgs) => {
  for (const m of msgs) console.log('received', m.msgId, m.body.toString());
  done();
  return ConsumeConcurrentlyStatus.CONSUME_SUCCESS; // a thrown error means RECONSUME_LATER
});
await consumer.start();
await consumed;

await consumer.shutdown();
await producer.shutdown();
await cluster.stop();
