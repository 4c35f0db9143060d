/**
 * CV, meeting-minutes and recipe templates for the generated corpus. Each borrows words from
 * the others (a CV's "cooking" hobby, minutes about a contract or an invoice, a recipe's
 * "minutes") so the corpus is not separable by one keyword.
 */
import type { Draft } from './corpus-business.js';
import {
  CITIES,
  capital,
  company,
  contact,
  date,
  FIRST,
  LAST,
  list,
  MONTHS,
  money,
  noise,
  pad,
  person,
  type Rng,
} from './corpus-random.js';

const ROLES = list(
  'Software Engineer|Project Manager|Accountant|Marketing Specialist|Data Analyst|Sales Manager|' +
    'Graphic Designer|HR Coordinator|Nurse|Teacher|Logistics Planner|Customer Support Lead|Chef de partie',
);
const ACHIEVEMENTS = list(
  'Led a team of {n} people across two offices|Managed a budget of {m}|Developed and launched a new customer portal|' +
    'Reduced processing time by {n}%|Improved customer satisfaction scores|Trained {n} new colleagues|' +
    'Negotiated supplier contracts|Prepared monthly reports for senior management|' +
    'Coordinated events and meetings for the board|Implemented a new invoicing process|' +
    'Responsible for recruitment and onboarding|Built dashboards in Excel and Power BI',
);
const DEGREES = list(
  'BSc Computer Science|BA Economics|MSc Data Science|BA English Literature|' +
    'Diploma in Nursing|MBA|BSc Mathematics|Apprenticeship in Hospitality|MA Marketing',
);
const SKILLS = list(
  'Python|Excel|SQL|Project management|Public speaking|Negotiation|Photoshop|Customer service|' +
    'Team leadership|Budgeting|Agile|German (fluent)|Spanish (conversational)|French (basic)|First aid',
);
const HOBBIES = list('cooking|hiking|chess|photography|football|volunteering|baking|running|reading');

/** A CV: name and contact, profile, experience with bullets, education, skills, interests. */
export function cv(r: Rng): Draft {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const role = r.pick(ROLES);
  const lines: string[] = [`${first} ${last}`];
  if (r.chance(0.6)) lines.push(r.pick(['Curriculum Vitae', 'CV', 'Résumé', 'RESUME']));
  lines.push(contact(r, `${first} ${last}`), `${r.pick(CITIES)}`, '');
  if (r.chance(0.8)) {
    lines.push(
      'Profile',
      `${capital(r.pick(['experienced', 'motivated', 'detail-oriented', 'creative']))} ${role.toLowerCase()} with ${r.int(2, 20)} years of experience, looking for a new challenge.`,
    );
  }
  lines.push(r.pick(['Work experience', 'Experience', 'Employment history']));
  let year = 2026;
  for (let i = r.int(1, 4); i > 0; i--) {
    const from = year - r.int(1, 5);
    lines.push(
      `${r.chance(0.5) ? role : r.pick(ROLES)}, ${company(r)} — ${from} to ${year === 2026 ? 'present' : year}`,
    );
    for (const a of r.some(ACHIEVEMENTS, r.int(1, 4))) {
      lines.push(`• ${a.replace('{n}', String(r.int(3, 40))).replace('{m}', money(r, 10000, 900000))}`);
    }
    year = from;
  }
  lines.push('Education', `${r.pick(DEGREES)}, University of ${r.pick(CITIES)}, ${year - r.int(0, 4)}`);
  lines.push(`${r.pick(['Skills', 'Key skills', 'Competences'])}: ${r.some(SKILLS, r.int(3, 8)).join(', ')}`);
  if (r.chance(0.6)) lines.push(`Interests: ${r.some(HOBBIES, r.int(1, 3)).join(', ')}`);
  if (r.chance(0.5)) lines.push('References available on request.');
  lines.push(...noise(r));
  const slug = `${first}-${last}`.toLowerCase();
  const name = r.pick([
    `${slug}-cv.pdf`,
    `Resume_${first}_${last}.docx`,
    `CV ${first} ${last} ${r.int(2024, 2026)}.pdf`,
    `${first}_${last}.pdf`,
    'application.pdf',
    `Document${r.int(1, 9)}.docx`,
  ]);
  return { name, text: lines.join('\n') };
}

const TEAMS = list(
  'Board|Finance committee|Project Phoenix|Marketing team|Residents association|' +
    'Staff|Parent-teacher association|IT steering group|Sales team|Health and safety committee',
);
const TOPICS = list(
  'budget for next quarter|office move|new website launch|the contract with {c}|an outstanding invoice from {c}|' +
    'recruitment of a new coordinator|the annual report|the summer event|IT security training|' +
    'customer complaints|the supplier review|the risk register|the staff survey results',
);
const DISCUSSION = list(
  '{p} reported that {t} is on track.|{p} raised concerns about {t}.|It was agreed that {p} would circulate a proposal on {t}.|' +
    'The committee discussed {t} at length.|{p} gave an update on {t}; no objections were raised.|' +
    'Members noted the progress on {t}.|A vote was held on {t}: carried unanimously.|' +
    '{p} asked whether {t} could be postponed until the next meeting.',
);

/** Meeting minutes: meeting, date, attendees, agenda items with discussion, actions, next meeting. */
export function minutes(r: Rng): Draft {
  const team = r.pick(TEAMS);
  const when = date(r);
  const people = Array.from({ length: r.int(3, 9) }, () => person(r));
  const topic = () => r.pick(TOPICS).replace('{c}', company(r));
  const lines: string[] = [
    r.pick([
      `Minutes of the ${team} meeting`,
      `${team} — meeting minutes`,
      `MINUTES`,
      `Meeting notes: ${team}`,
    ]),
    `Date: ${when}  Time: ${r.int(8, 17)}:${r.pick(['00', '30'])}  Location: ${r.pick(['Room 2.14', 'online (Teams)', 'Main hall', 'Head office'])}`,
    `Present: ${people.join(', ')}`,
  ];
  if (r.chance(0.6)) lines.push(`Apologies: ${person(r)}`);
  if (r.chance(0.5)) lines.push(`Chair: ${people[0]}  Minutes taken by: ${people.at(-1)}`);
  lines.push('1. Approval of the minutes of the previous meeting. The minutes were approved.');
  for (let i = 2, n = r.int(2, 6); i <= n + 1; i++) {
    const t = topic();
    lines.push(`${i}. ${capital(t)}`);
    for (const d of r.some(DISCUSSION, r.int(1, 3)))
      lines.push(d.replace('{p}', r.pick(people)).replace('{t}', t));
  }
  lines.push('Action items');
  for (let i = r.int(1, 4); i > 0; i--) {
    lines.push(`ACTION: ${r.pick(people)} to follow up on ${topic()} by ${date(r)}.`);
  }
  if (r.chance(0.6)) lines.push(`Any other business: none.`);
  lines.push(`Next meeting: ${date(r)}. The meeting closed at ${r.int(10, 19)}:${pad(r.int(0, 59), 2)}.`);
  lines.push(...noise(r));
  const name = r.pick([
    `minutes ${when.replace(/\//g, '-')}.docx`,
    `${team.split(' ')[0]} meeting notes.pdf`,
    `Minutes_${MONTHS[r.int(0, 11)]}.docx`,
    'notes.txt',
    `meeting-${pad(r.int(1, 52), 2)}.pdf`,
    `scan${pad(r.int(1, 999), 4)}.pdf`,
  ]);
  return { name, text: lines.join('\n') };
}

const DISHES = list(
  'Lasagne|Apple pie|Chicken curry|Banana bread|Vegetable soup|Pancakes|Risotto with mushrooms|' +
    'Lemon drizzle cake|Chili con carne|Greek salad|Shepherd’s pie|Pad thai|Ratatouille|Carrot cake|Falafel',
);
const INGREDIENTS = list(
  'flour|sugar|butter|eggs|milk|olive oil|garlic cloves|onion|salt|black pepper|tomatoes|chicken breast|' +
    'rice|baking powder|cinnamon|lemon|carrots|mushrooms|parmesan|cream|chickpeas|cumin|coriander|honey|' +
    'vanilla extract|potatoes|minced beef|stock|spinach|apples|yoghurt|paprika',
);
const UNITS = list('g|kg|ml|tbsp|tsp|cups|pinch of|handful of|');
const STEPS = list(
  'Preheat the oven to {n}°C.|Chop the onion and garlic finely.|Heat the oil in a large pan over medium heat.|' +
    'Stir in the spices and cook for {n} minutes.|Whisk the eggs with the sugar until pale.|' +
    'Fold in the flour gently.|Simmer for {n} minutes, stirring occasionally.|Season with salt and pepper to taste.|' +
    'Pour into a greased tin and bake for {n} minutes.|Leave to cool before slicing.|Serve warm with fresh herbs.|' +
    'Bring a large pot of water to the boil.|Add the stock a ladle at a time.|Blend until smooth.|' +
    'Knead the dough for {n} minutes.|Cover and leave to rest in the fridge.',
);

/** A recipe: title, servings and times, ingredients with quantities, method, notes. */
export function recipe(r: Rng): Draft {
  const dish = r.pick(DISHES);
  const lines: string[] = [];
  if (r.chance(0.2)) lines.push(`Hi ${r.pick(FIRST)}, here is the recipe you asked for!`);
  lines.push(
    dish,
    `Serves ${r.int(2, 8)}. Prep time: ${r.int(5, 40)} minutes. Cooking time: ${r.int(10, 120)} minutes.`,
  );
  lines.push(r.pick(['Ingredients', 'INGREDIENTS', 'You will need:']));
  for (const item of r.some(INGREDIENTS, r.int(4, 12))) {
    const unit = r.pick(UNITS);
    const qty = unit === 'g' || unit === 'ml' ? r.int(1, 20) * 25 : r.int(1, 6);
    lines.push(`- ${qty} ${unit}${unit ? ' ' : ''}${item}`);
  }
  lines.push(r.pick(['Method', 'Instructions', 'Directions']));
  r.some(STEPS, r.int(3, 9)).forEach((step, i) => {
    lines.push(`${i + 1}. ${step.replace('{n}', String(r.pick([5, 10, 15, 20, 25, 30, 45, 180, 200])))}`);
  });
  if (r.chance(0.4))
    lines.push(
      `Tip: ${r.pick(['keeps for 3 days in the fridge', 'freezes well', `from my grandmother ${r.pick(LAST)}`])}.`,
    );
  if (r.chance(0.2)) lines.push(`Cost per portion about ${money(r, 1, 6)}.`);
  lines.push(...noise(r));
  const slug = dish.toLowerCase().replace(/[^a-z]+/g, '-');
  const name = r.pick([
    `${slug}.txt`,
    `${dish}.docx`,
    `recipe-${slug}.pdf`,
    `grandma's ${slug}.pdf`,
    `IMG_${r.int(1000, 9999)}.pdf`,
    'recipe.pdf',
  ]);
  return { name, text: lines.join('\n') };
}
