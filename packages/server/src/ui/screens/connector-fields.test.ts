import { builtInConnectors } from '@fileforge/integrations';
import { describe, expect, it } from 'vitest';
import { credentialInputs, credentialLabel } from './connector-fields.js';

const inputsOf = (slug: string) => {
  const definition = builtInConnectors.find((d) => d.slug === slug);
  if (!definition) throw new Error(`no connector ${slug}`);
  return Object.fromEntries(credentialInputs(definition).map((i) => [i.name, i]));
};

describe('the connect forms of the integrations screen', () => {
  it('gives each of the seven connectors a form with its required fields', () => {
    expect(builtInConnectors).toHaveLength(7);
    for (const definition of builtInConnectors) {
      const inputs = credentialInputs(definition);
      expect(inputs.length, definition.slug).toBeGreaterThan(0);
      expect(
        inputs.some((i) => i.required),
        definition.slug,
      ).toBe(true);
    }
    expect(inputsOf('slack')).toEqual({ botToken: { name: 'botToken', required: true, kind: 'text' } });
    expect(
      Object.values(inputsOf('sap'))
        .filter((i) => i.required)
        .map((i) => i.name),
    ).toEqual(['baseUrl', 'username', 'password']);
  });

  it('offers choices, defaults, URL inputs and multi-line keys as the schemas say', () => {
    const salesforce = inputsOf('salesforce');
    expect(salesforce.authMode).toMatchObject({
      required: false,
      options: ['client_credentials', 'jwt_bearer'],
      default: 'client_credentials',
    });
    expect(salesforce.instanceUrl).toMatchObject({ kind: 'url', required: false });
    expect(salesforce.privateKey).toMatchObject({ kind: 'textarea' });
    expect(inputsOf('docusign').privateKey).toMatchObject({ kind: 'textarea', required: true });
    expect(inputsOf('teams').graphUrl).toMatchObject({
      kind: 'url',
      default: 'https://graph.microsoft.com/v1.0',
    });
  });

  it('labels fields in words', () => {
    expect(credentialLabel('instanceUrl')).toBe('Instance URL');
    expect(credentialLabel('clientId')).toBe('Client ID');
    expect(credentialLabel('apiVersion')).toBe('API version');
    expect(credentialLabel('botToken')).toBe('Bot token');
  });
});
