/**
 * The message data both webhook bench children send: a `file.processed`-like payload of about
 * 1 KB, the same for every message but its index.
 */
export function benchData(i) {
  return {
    file: {
      id: `01hz${String(i).padStart(22, '0')}`,
      name: `invoice-${i}.pdf`,
      mime: 'application/pdf',
      size: 482_113,
      status: 'processed',
      sha256: 'a'.repeat(64),
      metadata: { pages: 3, author: 'Bench', title: 'Quarterly invoice', producer: 'FileForge bench' },
      tags: ['invoices', 'finance', 'q3'],
      path: `invoices/2024/invoice-${i}.pdf`,
      createdAt: '2024-09-30T12:00:00.000Z',
      updatedAt: '2024-09-30T12:00:01.000Z',
      classification: {
        category: 'invoices',
        confidence: 0.97,
        decidedBy: 'rules',
        explanation: 'x'.repeat(400),
      },
    },
  };
}
