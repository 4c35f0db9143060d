/**
 * API_CV_ATTACHMENT_SRV for the SAP fake: `POST AttachmentContentSet` with the raw file as body and
 * `Slug` (file name), `BusinessObjectTypeName`, `LinkedSAPObjectKey` headers (the linked purchase order
 * must exist for BUS2012), and the `GetAllOriginals` function import.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { SapContext } from './sap.js';
import { odataError, respondEntity, SAP_ODATA_ROOT, sapEntity } from './sap-wire.js';

const ROOT = `${SAP_ODATA_ROOT}/API_CV_ATTACHMENT_SRV`;
const SVC = 'API_CV_ATTACHMENT_SRV';
let documentNumber = 10_000_000;

/** Mounts the attachment upload and listing. */
export function mountSapAttachments(app: Hono, ctx: SapContext): void {
  app.post(`${ROOT}/AttachmentContentSet`, async (c) => {
    const slug = c.req.header('slug');
    const objectType = c.req.header('businessobjecttypename');
    const objectKey = c.req.header('linkedsapobjectkey');
    if (!slug) return odataError(c, 400, 'CV/010', 'Enter a file name (Slug header)', SVC, 'Slug');
    if (!objectType || !objectKey)
      return odataError(
        c,
        400,
        'CV/011',
        'BusinessObjectTypeName and LinkedSAPObjectKey headers are required',
        SVC,
      );
    if (objectType === 'BUS2012' && !ctx.stores.purchaseOrders.has(objectKey))
      return odataError(
        c,
        400,
        'CV/020',
        `Object ${objectKey} of type ${objectType} does not exist`,
        SVC,
        'LinkedSAPObjectKey',
      );
    const content = Buffer.from(await c.req.arrayBuffer());
    if (content.length === 0) return odataError(c, 400, 'CV/012', 'The file is empty', SVC);
    documentNumber += 1;
    const fields = {
      DocumentInfoRecordDocType: 'SAT',
      DocumentInfoRecordDocNumber: String(documentNumber),
      DocumentInfoRecordDocVersion: '00',
      DocumentInfoRecordDocPart: '000',
      LogicalDocument: randomBytes(16).toString('hex').toUpperCase(),
      ArchiveDocumentID: randomBytes(16).toString('hex').toUpperCase(),
      LinkedSAPObjectKey: objectKey,
      BusinessObjectTypeName: objectType,
      FileName: decodeURIComponent(slug),
      MimeType: c.req.header('content-type') ?? 'application/octet-stream',
      FileSize: String(content.length),
      CreatedByUser: 'FILEFORGE_COMM',
      CreationDateTime: `/Date(${ctx.now()})/`,
    };
    const key = `DocumentInfoRecordDocType='SAT',DocumentInfoRecordDocNumber='${fields.DocumentInfoRecordDocNumber}',DocumentInfoRecordDocVersion='00',DocumentInfoRecordDocPart='000',LogicalDocument='${fields.LogicalDocument}',ArchiveDocumentID='${fields.ArchiveDocumentID}',LinkedSAPObjectKey='${objectKey}',BusinessObjectTypeName='${objectType}'`;
    const entity = sapEntity(
      `${new URL(c.req.url).origin}${ROOT}`,
      'AttachmentContentSet',
      key,
      `${SVC}.AttachmentContent`,
      fields,
    );
    ctx.stores.attachments.push({ entity, content });
    return respondEntity(c, ctx, entity, 201);
  });

  app.get(`${ROOT}/GetAllOriginals`, (c) => {
    const unquote = (v: string | undefined) => /^'(.*)'$/.exec(v ?? '')?.[1];
    const objectType = unquote(c.req.query('BusinessObjectTypeName'));
    const objectKey = unquote(c.req.query('LinkedSAPObjectKey'));
    if (!objectType || !objectKey)
      return odataError(
        c,
        400,
        '/IWBEP/CM_MGW_RT/004',
        "Parameters BusinessObjectTypeName and LinkedSAPObjectKey are required (as quoted literals, e.g. 'BUS2012')",
        SVC,
      );
    const results = ctx.stores.attachments
      .filter(
        (a) => a.entity.BusinessObjectTypeName === objectType && a.entity.LinkedSAPObjectKey === objectKey,
      )
      .map((a) => a.entity);
    return c.json({ d: { results } });
  });
}
