import { init, compilePolicy, PolicyError } from 'aftersale-rules';
import { runPage } from './run-cases.mjs';

runPage({ compilePolicy, PolicyError }, init);
