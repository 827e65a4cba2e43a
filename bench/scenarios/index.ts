/** Every scenario module registers itself on import; add new ones here. */
import './remoting.js';
import './store-append.js';
import './namesrv.js';
import './producer-send.js';
import './broker-send.js';
import './long-poll.js';
import './e2e.js';
import './ha.js';
