/**
 * The chatMessage contract of the Teams fake: the shape Graph returns and the checks on a posted
 * body — `<attachment id>` tags and `attachments` must agree, and a reference attachment must point at
 * a stored file (`contentUrl` = its webUrl, `id` = the GUID in its eTag, spec §5).
 *
 * @module
 */
import type { StoredDriveItem } from './teams-wire.js';

/** A chatMessage as Graph returns it. */
export interface ChatMessage {
  id: string;
  etag: string;
  messageType: 'message';
  replyToId: string | null;
  createdDateTime: string;
  body: { contentType: 'text' | 'html'; content: string };
  from: { user: { id: string; displayName: string; userIdentityType: 'aadUser' } };
  attachments: Array<{ id: string; contentType: string; contentUrl?: string; name?: string }>;
  channelIdentity: { teamId: string; channelId: string };
  webUrl: string;
}

/** Why Graph would refuse this chatMessage body, or `null` when it is acceptable. */
export function validateMessage(
  input: Partial<ChatMessage> | undefined,
  items: Map<string, StoredDriveItem>,
): string | null {
  const content = input?.body?.content;
  if (typeof content !== 'string' || content.length === 0) return 'Missing body content.';
  const contentType = input?.body?.contentType ?? 'text';
  if (contentType !== 'text' && contentType !== 'html') return `Invalid body contentType '${contentType}'.`;
  const tagged = [...content.matchAll(/<attachment id="([^"]+)"><\/attachment>/g)].map((m) => m[1]);
  const attachments = input?.attachments ?? [];
  for (const id of tagged) {
    if (!attachments.some((a) => a.id === id))
      return `Attachment with id '${id}' is referenced in the body but not found in attachments.`;
  }
  for (const attachment of attachments) {
    if (!attachment.id) return 'Attachment id is required.';
    if (!tagged.includes(attachment.id))
      return `Attachment with id '${attachment.id}' is not referenced in the message body.`;
    if (attachment.contentType !== 'reference') continue;
    if (!attachment.contentUrl)
      return `Attachment '${attachment.id}' of contentType 'reference' needs a contentUrl.`;
    const file = [...items.values()].find((s) => s.item.file && s.item.webUrl === attachment.contentUrl);
    if (!file) return `Could not find the file at contentUrl '${attachment.contentUrl}'.`;
    const guid = /^"\{([0-9A-Fa-f-]{36})\},\d+"$/.exec(file.item.eTag)?.[1];
    if (guid?.toLowerCase() !== attachment.id.toLowerCase())
      return `Attachment id '${attachment.id}' does not match the file's eTag identifier.`;
  }
  return null;
}
