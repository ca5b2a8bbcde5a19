// The Node recipe of docs/clients.md: @grpc/grpc-js with @grpc/proto-loader reading proto/ as is.
//   cd clients/node && npm ci && node recipe.js localhost:8082
// Prints the served checkpoint, one embedding, the 5 test items nearest to it and what an
// invalid request answers. e2e's PipelineEndToEndTest runs recipe.test.js against a live stack.
'use strict';
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_DIR = path.join(__dirname, '..', '..', 'proto', 'src', 'main', 'proto');

/** An EmbeddingService client; int64 fields arrive as numbers, enums as their names. */
function embeddingClient(address) {
  const definition = protoLoader.loadSync('realitycheck_v1_embedding.proto', {
    includeDirs: [PROTO_DIR], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true,
  });
  const v1 = grpc.loadPackageDefinition(definition).realitycheck.v1;
  return new v1.EmbeddingService(address, grpc.credentials.createInsecure());
}

/** The bearer token of $REALITYCHECK_TOKEN (the local stack's: .run/credentials/operator.token) as call metadata. */
function auth() {
  const metadata = new grpc.Metadata();
  if (process.env.REALITYCHECK_TOKEN) metadata.set('authorization', `Bearer ${process.env.REALITYCHECK_TOKEN}`);
  return metadata;
}

/** One unary call as a promise, with a deadline; a failure rejects with the gRPC error (code, details). */
function call(client, method, request, seconds = 30) {
  return new Promise((resolve, reject) => {
    client[method](request, auth(), { deadline: Date.now() + seconds * 1000 }, (error, response) =>
      (error ? reject(error) : resolve(response)));
  });
}

async function main(address) {
  const client = embeddingClient(address);
  try {
    const model = await call(client, 'GetModel', {});
    const shape = model.manifest.input.shape;                 // e.g. [28, 28, 1]
    const size = shape.reduce((a, b) => a * b, 1);
    console.log(`checkpoint ${model.checkpoint_id}, input ${JSON.stringify(shape)}, embedding size ${model.manifest.embedding_size}`);

    // raw pixels as one byte each (0..255), shape as the model expects
    const embedded = await call(client, 'Embed', {
      items: [{ id: 'blank', tensor: { shape, uint8: Buffer.alloc(size) } }],
    });
    console.log(`embedding of 'blank': ${embedded.embeddings[0].values.length} values from ${embedded.checkpoint_id}`);

    // a gallery of the dataset's test classes (made anew), then the 5 items nearest to the blank image
    const gallery = await call(client, 'AddToGallery', {
      gallery: 'fmnist-test', replace: true,
      dataset_split: { dataset: { name: 'fashion-mnist' }, split: 'SPLIT_TEST' },
    }, 120);
    console.log(`gallery fmnist-test: ${gallery.gallery_size} items`);
    const hits = await call(client, 'Search', {
      gallery: 'fmnist-test', item: { tensor: { shape, uint8: Buffer.alloc(size) } }, k: 5,
    });
    for (const n of hits.neighbors) {
      console.log(`${n.rank} ${n.item_id} label ${n.label} distance ${n.distance.toFixed(4)}`);
    }

    // errors carry a status code and the service's text, as written
    try {
      await call(client, 'Embed', { items: [{ tensor: { shape, values: new Array(10).fill(0) } }] });
    } catch (error) {
      console.log(`${grpc.status[error.code]}: ${error.details}`);
    }
  } finally {
    client.close();
  }
}

module.exports = { embeddingClient, call };

if (require.main === module) {
  main(process.argv[2] || 'localhost:8082').catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
