// The Node recipe against a live embedding service (REALITYCHECK_EMBEDDING=host:port, set by e2e's
// PipelineEndToEndTest once a checkpoint is served): embeddings, search, and an INVALID_ARGUMENT
// whose text (commas, brackets, parentheses) grpc-js must read exactly as the service wrote it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { embeddingClient, call } = require('./recipe.js');

const address = process.env.REALITYCHECK_EMBEDDING;

test('the Node recipe against a live embedding service', { skip: !address && 'REALITYCHECK_EMBEDDING is not set (e2e sets it)' }, async (t) => {
  const client = embeddingClient(address);
  t.after(() => client.close());
  const model = await call(client, 'GetModel', {});
  const shape = model.manifest.input.shape;
  const size = shape.reduce((a, b) => a * b, 1);

  await t.test('embeds raw pixels into one unit vector', async () => {
    const embedded = await call(client, 'Embed', { items: [{ id: 'blank', tensor: { shape, uint8: Buffer.alloc(size) } }] });
    assert.equal(embedded.checkpoint_id, model.checkpoint_id);
    const values = embedded.embeddings[0].values;
    assert.equal(values.length, model.manifest.embedding_size);
    assert.ok(Math.abs(values.reduce((s, v) => s + v * v, 0) - 1) < 1e-4);
  });

  await t.test('the recipe as docs/clients.md runs it prints each step', () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'recipe.js'), address], { encoding: 'utf8', timeout: 180000 });
    const lines = out.trim().split('\n');
    assert.match(lines[0], new RegExp(`^checkpoint ${model.checkpoint_id}, input \\[${shape.join(',')}\\], embedding size \\d+$`));
    assert.match(lines[1], /^embedding of 'blank': \d+ values from /);
    assert.match(lines[2], /^gallery fmnist-test: [1-9]\d* items$/);
    const ranks = lines.slice(3, 8).map((l) => l.match(/^(\d+) \S+ label \d+ distance (\d+\.\d{4})$/));
    assert.ok(ranks.every((m) => m !== null), out);
    const distances = ranks.map((m) => Number(m[2]));
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
    assert.equal(lines[8], `INVALID_ARGUMENT: items[0].tensor.values has 10 values, the model expects ${size} (shape [${shape.join(', ')}])`);
  });

  await t.test('reads an INVALID_ARGUMENT message exactly, punctuation and all', async () => {
    await assert.rejects(
      call(client, 'Embed', { items: [{ tensor: { shape, values: new Array(10).fill(0) } }] }),
      (error) => {
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.equal(error.details, `items[0].tensor.values has 10 values, the model expects ${size} (shape [${shape.join(', ')}])`);
        return true;
      });
  });
});
