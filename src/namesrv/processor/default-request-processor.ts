import { RemotingCommandException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import { bodyCRC } from '../../common/message/body-crc.js';
import { encodeClusterInfo } from '../../common/protocol/body/cluster-info.js';
import { createDataVersion, decodeDataVersion, encodeDataVersion } from '../../common/protocol/body/data-version.js';
import { createRegisterBrokerBody, decodeRegisterBrokerBody, type RegisterBrokerBody } from '../../common/protocol/body/register-broker-body.js';
import { encodeTopicList, type TopicList } from '../../common/protocol/body/topic-list.js';
import { encodeTopicRouteData, selectTopicRouteJsonForm } from '../../common/protocol/body/topic-route-data.js';
import { createResponseWithHeader, customHeaderErrorResponse, readHeader } from '../../common/protocol/headers/command-header.js';
import {
  DeleteKVConfigRequestHeader,
  GetKVConfigRequestHeader,
  GetKVConfigResponseHeader,
  GetKVListByNamespaceRequestHeader,
  PutKVConfigRequestHeader,
} from '../../common/protocol/headers/namesrv/kv-config.js';
import {
  QueryDataVersionRequestHeader,
  QueryDataVersionResponseHeader,
  RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader,
  UnRegisterBrokerRequestHeader,
} from '../../common/protocol/headers/namesrv/register-broker.js';
import {
  AddWritePermOfBrokerRequestHeader,
  AddWritePermOfBrokerResponseHeader,
  DeleteTopicFromNamesrvRequestHeader,
  GetRouteInfoRequestHeader,
  GetTopicsByClusterRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  WipeWritePermOfBrokerResponseHeader,
} from '../../common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import { requestCodeNotSupportedRemark } from '../../common/remoting/request-dispatcher.js';
import { parseJavaProperties } from '../../common/util/java-properties.js';
import { NAMESPACE_ORDER_TOPIC_CONFIG, type KVConfigManager } from '../kvconfig/kv-config-manager.js';
import type { NamesrvConfig } from '../namesrv-config.js';
import { NamesrvConfigUpdateError, type NamesrvConfiguration } from '../namesrv-configuration.js';
import type { RouteInfoManager } from '../routeinfo/route-info-manager.js';

/** FAQUrl.APPLY_TOPIC_URL through FAQUrl.suggestTodo, appended to TOPIC_NOT_EXIST remarks. */
export const APPLY_TOPIC_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

/** TopicSysFlag bits the unit-topic lists look at. */
const FLAG_UNIT = 0x1;
const FLAG_UNIT_SUB = 0x2;

type Handler = (channel: RemotingChannel, request: RemotingCommand) => Promise<RemotingCommand> | RemotingCommand;

/**
 * Every request the name server answers (namesrv/processor/DefaultRequestProcessor.java). Codes not
 * listed in `codes` are never routed here: the RemotingServer answers them REQUEST_CODE_NOT_SUPPORTED.
 * A header missing a required field or a body that does not decode is answered SYSTEM_ERROR with a
 * remark naming it, like Java's RemotingCommandException path; it never reaches the tables.
 */
export class DefaultRequestProcessor implements RequestProcessor {
  private readonly handlers: ReadonlyMap<number, Handler>;

  private readonly config: NamesrvConfig;

  constructor(
    private readonly configuration: NamesrvConfiguration,
    private readonly routeInfoManager: RouteInfoManager,
    private readonly kvConfigManager: KVConfigManager,
    private readonly log: Logger,
  ) {
    this.config = configuration.config;
    const topicList = (list: () => TopicList): Handler => (_c, req) => this.success(req, encodeTopicList(list()));
    const rim = routeInfoManager;
    this.handlers = new Map<number, Handler>([
      [RequestCode.PUT_KV_CONFIG, (_c, req) => this.putKVConfig(req)],
      [RequestCode.GET_KV_CONFIG, (_c, req) => this.getKVConfig(req)],
      [RequestCode.DELETE_KV_CONFIG, (_c, req) => this.deleteKVConfig(req)],
      [RequestCode.QUERY_DATA_VERSION, (_c, req) => this.queryBrokerTopicConfig(req)],
      [RequestCode.REGISTER_BROKER, (c, req) => this.registerBroker(c, req)],
      [RequestCode.UNREGISTER_BROKER, (_c, req) => this.unregisterBroker(req)],
      [RequestCode.GET_ROUTEINFO_BY_TOPIC, (_c, req) => this.getRouteInfoByTopic(req)],
      [RequestCode.GET_BROKER_CLUSTER_INFO, (_c, req) => this.success(req, encodeClusterInfo(rim.getAllClusterInfo()))],
      [RequestCode.WIPE_WRITE_PERM_OF_BROKER, (_c, req) => this.wipeWritePermOfBroker(req)],
      [RequestCode.ADD_WRITE_PERM_OF_BROKER, (_c, req) => this.addWritePermOfBroker(req)],
      [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, topicList(() => rim.getAllTopicList())],
      [RequestCode.DELETE_TOPIC_IN_NAMESRV, (_c, req) => this.deleteTopicInNamesrv(req)],
      [RequestCode.GET_KVLIST_BY_NAMESPACE, (_c, req) => this.getKVListByNamespace(req)],
      [RequestCode.GET_TOPICS_BY_CLUSTER, (_c, req) => this.getTopicsByCluster(req)],
      [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, topicList(() => rim.getSystemTopicList())],
      [RequestCode.GET_UNIT_TOPIC_LIST, topicList(() => rim.topicsWhere((qd) => (qd.topicSysFlag & FLAG_UNIT) !== 0))],
      [RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, topicList(() => rim.topicsWhere((qd) => (qd.topicSysFlag & FLAG_UNIT_SUB) !== 0))],
      [
        RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
        topicList(() => rim.topicsWhere((qd) => (qd.topicSysFlag & FLAG_UNIT) === 0 && (qd.topicSysFlag & FLAG_UNIT_SUB) !== 0)),
      ],
      [RequestCode.UPDATE_NAMESRV_CONFIG, (c, req) => this.updateConfig(c, req)],
      [RequestCode.GET_NAMESRV_CONFIG, (_c, req) => this.success(req, Buffer.from(this.configuration.formatAll(), 'utf8'))],
    ]);
  }

  /** The request codes to register this processor for. */
  get codes(): number[] {
    return [...this.handlers.keys()];
  }

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> {
    const handler = this.handlers.get(request.code);
    if (handler === undefined) return RemotingCommand.createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, requestCodeNotSupportedRemark(request.code));
    try {
      return await handler(channel, request);
    } catch (e: unknown) {
      if (!(e instanceof RemotingCommandException)) throw e;
      this.log.warn('bad request', { code: request.code, remoteAddr: channel.remoteAddress, error: e.message });
      return customHeaderErrorResponse(request, e);
    }
  }

  private success(request: RemotingCommand, body?: Buffer): RemotingCommand {
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    if (body !== undefined) response.body = body;
    return response;
  }

  private async putKVConfig(request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, PutKVConfigRequestHeader);
    await this.kvConfigManager.putKVConfig(h.namespace, h.key, h.value);
    return this.success(request);
  }

  private getKVConfig(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetKVConfigRequestHeader);
    const value = this.kvConfigManager.getKVConfig(h.namespace, h.key);
    if (value !== undefined) return createResponseWithHeader(request, ResponseCode.SUCCESS, GetKVConfigResponseHeader, { value });
    return RemotingCommand.createResponse(request, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace} Key: ${h.key}`);
  }

  private async deleteKVConfig(request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, DeleteKVConfigRequestHeader);
    await this.kvConfigManager.deleteKVConfig(h.namespace, h.key);
    return this.success(request);
  }

  private getKVListByNamespace(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetKVListByNamespaceRequestHeader);
    const body = this.kvConfigManager.getKVListByNamespace(h.namespace);
    if (body !== undefined) return this.success(request, body);
    return RemotingCommand.createResponse(request, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace}`);
  }

  private registerBroker(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, RegisterBrokerRequestHeader);
    const crc = h.bodyCrc32 ?? 0;
    // Java checks only when the broker sent a checksum (0 = not computed).
    if (crc !== 0 && bodyCRC(request.body ?? Buffer.alloc(0)) !== crc) {
      this.log.warn('receive registerBroker request, crc32 not match', { remoteAddr: channel.remoteAddress, brokerAddr: h.brokerAddr });
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, 'crc32 not match');
    }
    let body: RegisterBrokerBody;
    if (request.body !== undefined && request.body.length > 0) {
      try {
        body = decodeRegisterBrokerBody(request.body, h.compressed === true);
      } catch (e: unknown) {
        throw new RemotingCommandException(`Failed to decode RegisterBrokerBody: ${(e as Error).message}`, { cause: e });
      }
    } else {
      // No body: an empty topic table at version {0, 0}, as Java's namesrv assumes.
      body = createRegisterBrokerBody();
      body.topicConfigSerializeWrapper.dataVersion = createDataVersion(0, 0);
    }
    const result = this.routeInfoManager.registerBroker({
      clusterName: h.clusterName,
      brokerAddr: h.brokerAddr,
      brokerName: h.brokerName,
      brokerId: h.brokerId,
      haServerAddr: h.haServerAddr,
      topicConfigWrapper: body.topicConfigSerializeWrapper,
      filterServerList: body.filterServerList,
      channel,
    });
    const response = createResponseWithHeader(request, ResponseCode.SUCCESS, RegisterBrokerResponseHeader, result);
    const orderTopicConfig = this.kvConfigManager.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG);
    if (orderTopicConfig !== undefined) response.body = orderTopicConfig;
    return response;
  }

  private queryBrokerTopicConfig(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, QueryDataVersionRequestHeader);
    const dataVersion = decodeDataVersion(request.body ?? Buffer.alloc(0));
    const rim = this.routeInfoManager;
    const changed = rim.isBrokerTopicConfigChanged(h.brokerAddr, dataVersion);
    // An unchanged broker counts as alive: this query replaces its registration (forceRegister=false).
    if (!changed) rim.updateBrokerInfoUpdateTimestamp(h.brokerAddr, Date.now());
    const stored = rim.queryBrokerTopicConfig(h.brokerAddr);
    const response = createResponseWithHeader(request, ResponseCode.SUCCESS, QueryDataVersionResponseHeader, { changed });
    if (stored !== undefined) response.body = encodeDataVersion(stored);
    return response;
  }

  private unregisterBroker(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, UnRegisterBrokerRequestHeader);
    this.routeInfoManager.unregisterBroker(h.clusterName, h.brokerAddr, h.brokerName, h.brokerId);
    return this.success(request);
  }

  private getRouteInfoByTopic(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetRouteInfoRequestHeader);
    const route = this.routeInfoManager.pickupTopicRouteData(h.topic);
    if (route === undefined) {
      return RemotingCommand.createResponse(
        request,
        ResponseCode.TOPIC_NOT_EXIST,
        `No topic route info in name server for the topic: ${h.topic}${APPLY_TOPIC_SUGGESTION}`,
      );
    }
    if (this.config.orderMessageEnable) {
      const conf = this.kvConfigManager.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, h.topic);
      if (conf !== undefined) route.orderTopicConf = conf;
    }
    return this.success(request, encodeTopicRouteData(route, selectTopicRouteJsonForm(request.version, h.acceptStandardJsonOnly)));
  }

  private wipeWritePermOfBroker(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, WipeWritePermOfBrokerRequestHeader);
    const wipeTopicCount = this.routeInfoManager.wipeWritePermOfBroker(h.brokerName);
    this.log.info('wipe write perm of broker', { brokerName: h.brokerName, wipeTopicCount });
    return createResponseWithHeader(request, ResponseCode.SUCCESS, WipeWritePermOfBrokerResponseHeader, { wipeTopicCount });
  }

  private addWritePermOfBroker(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, AddWritePermOfBrokerRequestHeader);
    const addTopicCount = this.routeInfoManager.addWritePermOfBroker(h.brokerName);
    this.log.info('add write perm of broker', { brokerName: h.brokerName, addTopicCount });
    return createResponseWithHeader(request, ResponseCode.SUCCESS, AddWritePermOfBrokerResponseHeader, { addTopicCount });
  }

  private deleteTopicInNamesrv(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, DeleteTopicFromNamesrvRequestHeader);
    this.routeInfoManager.deleteTopic(h.topic, h.clusterName);
    return this.success(request);
  }

  /**
   * UPDATE_NAMESRV_CONFIG: body = java.util.Properties text. No body changes nothing and succeeds,
   * like Java. The body is read as UTF-8 (Java's string2Properties goes through
   * Properties.load(InputStream), i.e. ISO-8859-1, which mangles non-ASCII values; senders mean UTF-8).
   */
  private async updateConfig(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    this.log.info('updateConfig called', { remoteAddr: channel.remoteAddress });
    const body = request.body;
    // An empty body is what a frame without one decodes to (Java: body == null).
    if (body === undefined || body.length === 0) return this.success(request);
    let properties: Map<string, string>;
    try {
      properties = parseJavaProperties(body.toString('utf8'));
    } catch (e: unknown) {
      this.log.error('updateConfig string2Properties error', { error: e });
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `string2Properties error: ${(e as Error).message}`);
    }
    try {
      await this.configuration.update(properties);
    } catch (e: unknown) {
      if (!(e instanceof NamesrvConfigUpdateError)) throw e;
      this.log.warn('updateConfig refused', { remoteAddr: channel.remoteAddress, reason: e.message });
      // Java's exact remark for the black list, so tools matching on it keep working.
      if (e.kind === 'blacklisted') return RemotingCommand.createResponse(request, ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, e.message);
    }
    return this.success(request);
  }

  private getTopicsByCluster(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetTopicsByClusterRequestHeader);
    return this.success(request, encodeTopicList(this.routeInfoManager.getTopicsByCluster(h.cluster)));
  }
}
