/** mqadmin's everyday commands (ARCHITECTURE.md §3.2), in mqadmin's help order by family. */
import type { CliCommand } from '../cli-command.js';
import { getBrokerConfigCommand, updateBrokerConfigCommand } from './broker-config-commands.js';
import { brokerStatusCommand, clusterListCommand } from './cluster-commands.js';
import { consumerConnectionCommand, consumerProgressCommand, deleteSubGroupCommand, updateSubGroupCommand } from './group-commands.js';
import { consumeMessageCommand, queryMsgByIdCommand, queryMsgByKeyCommand, queryMsgByOffsetCommand, sendMessageCommand } from './message-commands.js';
import { resetOffsetByTimeCommand } from './offset-commands.js';
import { deleteTopicCommand, topicListCommand, topicRouteCommand, topicStatusCommand, updateTopicCommand } from './topic-commands.js';

export const ADMIN_COMMANDS: readonly CliCommand[] = [
  updateTopicCommand,
  deleteTopicCommand,
  topicListCommand,
  topicRouteCommand,
  topicStatusCommand,
  clusterListCommand,
  brokerStatusCommand,
  updateSubGroupCommand,
  deleteSubGroupCommand,
  consumerProgressCommand,
  consumerConnectionCommand,
  queryMsgByIdCommand,
  queryMsgByKeyCommand,
  queryMsgByOffsetCommand,
  sendMessageCommand,
  consumeMessageCommand,
  resetOffsetByTimeCommand,
  getBrokerConfigCommand,
  updateBrokerConfigCommand,
];
