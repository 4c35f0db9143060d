/**
 * Invoice and contract templates for the generated corpus: varied headings, line items,
 * clauses and lengths, with words the other kinds share (fees, payment, parties, dates).
 */
import {
  address,
  company,
  contact,
  date,
  list,
  money,
  noise,
  pad,
  person,
  type Rng,
} from './corpus-random.js';

/** A generated document before it gets its category. */
export interface Draft {
  name: string;
  text: string;
}

const ITEMS = list(
  'Consulting services (hours)|Web hosting, annual plan|Office chairs|Printer toner cartridges|' +
    'Quarterly maintenance visit|Software licence renewal|Delivery and handling|Laptop repair|' +
    'Translation of user manual|Cleaning services, March|Catering for workshop|Domain registration|' +
    'Security audit|Replacement parts|Training session, half day|Copy paper, 20 boxes|Design work, logo',
);
const INVOICE_TITLES = list('INVOICE|Invoice|TAX INVOICE|Bill|Statement of charges|Proforma invoice|Receipt');
const TERMS = list(
  'Payment due within 30 days of the invoice date.|Net 14.|Please pay by bank transfer quoting the invoice number.|' +
    'Late payments incur interest at 8% per annum.|Payment terms: 30 days net.|' +
    'Thank you for your business!|Goods remain our property until paid in full.',
);

/** An invoice: number, dates, billed party, line items, totals, bank details. */
export function invoice(r: Rng, serial: number): Draft {
  const seller = company(r);
  const buyer = company(r);
  const year = r.int(2024, 2026);
  const number = `INV-${year}-${pad(serial, 4)}`;
  const lines: string[] = [seller, address(r), `VAT no. GB${r.int(100000000, 999999999)}`, ''];
  lines.push(r.pick(INVOICE_TITLES));
  lines.push(`Invoice number: ${number}`, `Invoice date: ${date(r)}`);
  if (r.chance(0.7)) lines.push(`Due date: ${date(r)}`);
  lines.push(`Bill to: ${buyer}, ${address(r)}`);
  if (r.chance(0.5)) lines.push(`Customer ID: C-${r.int(1000, 9999)}`, `PO number: ${r.int(40000, 49999)}`);
  lines.push('', 'Description  Qty  Unit price  Amount');
  for (const item of r.some(ITEMS, r.int(1, 7))) {
    lines.push(`${item}  ${r.int(1, 40)}  ${money(r, 5, 400)}  ${money(r, 20, 4000)}`);
  }
  lines.push(
    '',
    `Subtotal ${money(r, 100, 9000)}`,
    `VAT ${r.pick(['20%', '19%', '21%', '0%'])} ${money(r, 0, 1800)}`,
  );
  lines.push(`Total due ${money(r, 100, 11000)}`);
  lines.push(...r.some(TERMS, r.int(1, 3)));
  if (r.chance(0.6))
    lines.push(`IBAN DE${r.int(10, 99)} ${r.int(1000, 9999)} ${r.int(1000, 9999)} ${r.int(1000, 9999)}`);
  if (r.chance(0.3)) lines.push(`Questions about this bill? ${contact(r, person(r))}`);
  lines.push(...noise(r));
  const name = r.pick([
    `${number}.pdf`,
    `invoice_${seller.split(' ')[0]!.toLowerCase()}_${year}.pdf`,
    `Rechnung ${r.int(100, 999)}.pdf`,
    `scan${pad(r.int(1, 999), 4)}.pdf`,
    `${buyer.split(' ')[0]} ${year}.pdf`,
    `document (${r.int(1, 9)}).pdf`,
  ]);
  return { name, text: lines.join('\n') };
}

const KINDS = list(
  'SERVICE AGREEMENT|Non-Disclosure Agreement|Employment Contract|Lease Agreement|Consulting Agreement|' +
    'Software Licence Agreement|Supply Contract',
);
const CLAUSES = list(
  'Term. This Agreement commences on the Effective Date and continues for {n} months unless terminated earlier.|' +
    'Termination. Either party may terminate this Agreement by giving {n} days written notice to the other party.|' +
    'Confidentiality. Each party shall keep confidential all information disclosed by the other party and shall not disclose it to any third party.|' +
    'Governing Law. This Agreement shall be governed by and construed in accordance with the laws of England and Wales.|' +
    'Indemnification. The Provider shall indemnify and hold harmless the Client against all claims, losses and liabilities arising from any breach.|' +
    'Limitation of Liability. Neither party shall be liable for indirect or consequential damages; total liability shall not exceed the fees paid.|' +
    'Fees and Payment. The Client shall pay the fees set out in Schedule 1 within {n} days of receipt of a valid invoice.|' +
    'Force Majeure. Neither party shall be in breach of this Agreement if prevented from performing its obligations by events beyond its reasonable control.|' +
    'Entire Agreement. This Agreement constitutes the entire agreement between the parties and supersedes all prior negotiations.|' +
    'Assignment. Neither party may assign or transfer its rights under this Agreement without the prior written consent of the other party.|' +
    'Notices. Any notice under this Agreement shall be in writing and delivered to the address set out above.|' +
    'Intellectual Property. All intellectual property rights in the deliverables shall vest in the Client upon payment.|' +
    'Warranties. The Provider warrants that the services will be performed with reasonable skill and care.|' +
    'Severability. If any provision is held invalid, the remaining provisions shall continue in full force and effect.|' +
    'Dispute Resolution. The parties shall attempt in good faith to resolve any dispute through negotiation before arbitration.|' +
    'Data Protection. Each party shall comply with applicable data protection legislation in respect of personal data.',
);

/** A contract: parties, recitals, numbered clauses, signatures. */
export function contract(r: Rng, serial: number): Draft {
  const kind = r.pick(KINDS);
  const a = company(r);
  const b = r.chance(0.3) ? person(r) : company(r);
  const lines: string[] = [r.chance(0.8) ? kind : kind.toLowerCase(), ''];
  lines.push(
    `This ${kind.toLowerCase().includes('contract') ? 'Contract' : 'Agreement'} is made on ${date(r)} between ` +
      `${a} of ${address(r)} (hereinafter "the Client") and ${b} (hereinafter "the Provider").`,
  );
  if (r.chance(0.6)) {
    lines.push(
      'WHEREAS the Client wishes to engage the Provider and the Provider agrees to provide the services;',
    );
    lines.push('NOW, THEREFORE, the parties agree as follows:');
  }
  r.some(CLAUSES, r.int(3, 10)).forEach((clause, i) => {
    lines.push(`${i + 1}. ${clause.replace('{n}', String(r.pick([7, 14, 30, 60, 90, 12, 24])))}`);
  });
  if (r.chance(0.5)) lines.push(`Schedule 1: fees of ${money(r, 500, 20000)} per month.`);
  lines.push('IN WITNESS WHEREOF the parties have signed this Agreement on the date first written above.');
  lines.push(`Signed for and on behalf of ${a}: ____________  Name: ${person(r)}  Date: ${date(r)}`);
  lines.push(`Signed by ${b}: ____________  Witness: ${person(r)}`);
  lines.push(...noise(r));
  const short = a.split(' ')[0]!;
  const name = r.pick([
    `${kind.replace(/ /g, '_')}_${short}.pdf`,
    `contract-${short.toLowerCase()}-v${r.int(1, 4)}-final.docx`,
    `NDA_signed_${pad(serial, 3)}.pdf`,
    `agreement ${date(r).replace(/\//g, '-')}.pdf`,
    `scan${pad(r.int(1, 999), 4)}.pdf`,
    `${short} ${r.pick(['signed', 'countersigned', 'copy'])}.pdf`,
  ]);
  return { name, text: lines.join('\n') };
}
