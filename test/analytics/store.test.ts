import { analyticsStoreContract } from './store.contract.js';
import { BACKENDS } from './support.js';

for (const backend of BACKENDS) analyticsStoreContract(backend);
