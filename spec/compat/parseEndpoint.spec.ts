import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../src/compat/parseEndpoint.js';

describe('parseEndpoint', () => {
  it.each([
    ['/ws/generations/gen_1', { kind: 'generation', id: 'gen_1' }],
    ['/ws/compositions/comp_1', { kind: 'composition', id: 'comp_1' }],
    ['/ws/generations/gen_1/', { kind: 'generation', id: 'gen_1' }],
    ['/ws/generations/a%20b', { kind: 'generation', id: 'a b' }],
  ])('should read %s', (endpoint, job) => {
    expect(parseEndpoint(endpoint)).toEqual(job);
  });

  it.each([
    ['another kind', '/ws/jobs/1'],
    ['no id', '/ws/generations/'],
    ['a nested path', '/ws/generations/a/b'],
    ['a query', '/ws/generations/a?x=1'],
    ['an absolute URL', 'https://api.example.com/ws/generations/a'],
    ['a malformed escape', '/ws/generations/%E0%A4%A'],
    ['a number', 42],
    ['undefined', undefined],
  ])('should refuse %s', (_, endpoint) => {
    expect(parseEndpoint(endpoint)).toBeUndefined();
  });
});
