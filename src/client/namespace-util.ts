import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX, isSystemTopic } from '../common/protocol/topic-validator.js';

/**
 * Java's NamespaceUtil: a namespace prefixes topics and groups as `<namespace>%<resource>`; retry and
 * DLQ topics keep their prefix in front (`%RETRY%<namespace>%<group>`). System topics are never wrapped.
 */
export const NAMESPACE_SEPARATOR = '%';

export function wrapNamespace(namespace: string, resource: string): string {
  if (namespace.trim() === '' || resource.trim() === '') return resource;
  if (isSystemTopic(resource) || isAlreadyWithNamespace(resource, namespace)) return resource;
  const prefix = retryOrDlqPrefix(resource);
  if (prefix !== '') return `${prefix}${namespace}${NAMESPACE_SEPARATOR}${resource.slice(prefix.length)}`;
  return `${namespace}${NAMESPACE_SEPARATOR}${resource}`;
}

export function withoutNamespace(resource: string, namespace: string): string {
  if (namespace.trim() === '' || resource.trim() === '') return resource;
  const prefix = retryOrDlqPrefix(resource);
  const rest = resource.slice(prefix.length);
  const ns = `${namespace}${NAMESPACE_SEPARATOR}`;
  return rest.startsWith(ns) ? prefix + rest.slice(ns.length) : resource;
}

function isAlreadyWithNamespace(resource: string, namespace: string): boolean {
  const rest = resource.slice(retryOrDlqPrefix(resource).length);
  return rest.startsWith(`${namespace}${NAMESPACE_SEPARATOR}`);
}

function retryOrDlqPrefix(resource: string): string {
  if (resource.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return RETRY_GROUP_TOPIC_PREFIX;
  if (resource.startsWith(DLQ_GROUP_TOPIC_PREFIX)) return DLQ_GROUP_TOPIC_PREFIX;
  return '';
}
